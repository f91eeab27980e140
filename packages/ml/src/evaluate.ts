// Evaluates a classifier on labelled images: the metrics report, every prediction, and, where lesion masks
// exist, how well Grad-CAM for the true class points into them.
import { type LabeledImage, hasLesion } from "./data/load";
import { gradCam } from "./gradcam/gradcam";
import { resizeMask } from "./gradcam/resize";
import {
  type LocalizationScore,
  type LocalizationSummary,
  scoreLocalization,
  summarizeLocalization,
} from "./gradcam/localization";
import { computeMetrics, type MetricsReport } from "./metrics/report";
import { type Classifier } from "./models/classifier";
import { predict } from "./predict";
import { preprocess } from "./preprocess";

export interface Prediction {
  file: string;
  label: string;
  probs: number[];
}

export interface Evaluation extends MetricsReport {
  predictions: Prediction[];
  /** Grad-CAM (true class) against the lesion masks, over images that have a lesion */
  localization: (LocalizationSummary & { per_class: Record<string, LocalizationSummary> }) | null;
}

export interface EvaluateOptions {
  gradcam?: boolean;
  bootstrapIterations?: number;
  batchSize?: number;
}

/** Zhang et al.'s pointing-game tolerance, in pixels of a 224-pixel map. */
export const pointingTolerance = 15;

export async function localize(classifier: Classifier, items: readonly LabeledImage[], batchSize = 8) {
  const withLesion = items.filter((it) => hasLesion(it.mask));
  const scores: { label: number; strict: LocalizationScore; tolerant: LocalizationScore }[] = [];
  for (let start = 0; start < withLesion.length; start += batchSize) {
    const chunk = withLesion.slice(start, start + batchSize);
    const batch = preprocess(
      chunk.map((c) => c.image),
      classifier,
    );
    try {
      const cam = await gradCam(classifier, batch, { classIndex: chunk.map((c) => c.label) });
      chunk.forEach((c, i) => {
        const map = cam.maps[i];
        if (!map || !c.mask) return;
        const roi = resizeMask(c.mask, map.width, map.height);
        const tolerance = Math.round((pointingTolerance * map.width) / 224);
        scores.push({
          label: c.label,
          strict: scoreLocalization(map, roi),
          tolerant: scoreLocalization(map, roi, tolerance),
        });
      });
    } finally {
      batch.dispose();
    }
  }
  if (scores.length === 0) return null;
  const summarize = (list: typeof scores) =>
    summarizeLocalization(
      list.map((s) => s.strict),
      list.map((s) => s.tolerant),
    );
  const per_class: Record<string, LocalizationSummary> = {};
  classifier.classes.forEach((name, k) => {
    const mine = scores.filter((s) => s.label === k);
    if (mine.length > 0) per_class[name] = summarize(mine);
  });
  return { ...summarize(scores), per_class };
}

export async function evaluateClassifier(
  classifier: Classifier,
  items: readonly LabeledImage[],
  options: EvaluateOptions = {},
): Promise<Evaluation> {
  if (items.length === 0) throw new Error("nothing to evaluate");
  const probs = await predict(
    classifier,
    items.map((it) => it.image),
    options.batchSize ?? 16,
  );
  const asArrays = probs.map((p) => Array.from(p));
  const metrics = computeMetrics(
    asArrays,
    items.map((it) => it.label),
    classifier.classes,
    {
      groups: items.map((it) => it.patientId),
      ...(options.bootstrapIterations ? { bootstrapIterations: options.bootstrapIterations } : {}),
    },
  );
  return {
    ...metrics,
    predictions: items.map((it, i) => ({
      file: it.file,
      label: classifier.classes[it.label] as string,
      probs: asArrays[i] as number[],
    })),
    localization: options.gradcam === false ? null : await localize(classifier, items),
  };
}
