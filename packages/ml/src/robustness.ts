// Robustness across phantom styles: train with the default recipe on one style, then evaluate on held-out phantoms
// of every style (the one trained on, the other, and a mix), with the figures the issue sets targets for: accuracy,
// per-class recall, the Grad-CAM pointing game at 15 px, the predictions' spread over the classes, and how far
// validation accuracy fell between consecutive epochs.
import { rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { readDataset } from "./data/dataset";
import { loadImages } from "./data/load";
import { type Evaluation, evaluateClassifier } from "./evaluate";
import { loadModelVersion } from "./model-version";
import { disposeClassifier } from "./models/classifier";
import { type PhantomStyleName, phantomStyles } from "./phantom/style";
import { synthesizeDataset } from "./phantom/synthesize";
import { type EpochRecord } from "./train/history";
import { trainModelVersion, type TrainVersionOptions } from "./train/train-version";

export interface RobustnessOptions {
  dir: string;
  trainStyle: PhantomStyleName;
  trainCount: number;
  testCount: number;
  size: number;
  seed: number;
  /** default: the recipe's */
  epochs?: number;
  /** default: the recipe's (for trying another; the targets are for the defaults) */
  learningRate?: number;
  schedule?: TrainVersionOptions["schedule"];
  augment?: TrainVersionOptions["augment"];
  /** Grad-CAM pointing game on the test sets (costs a backward pass per lesion image) */
  gradcam?: boolean;
  log?: (message: string) => void;
  onEpoch?: TrainVersionOptions["onEpoch"];
}

export interface StyleFigures {
  style: PhantomStyleName;
  n: number;
  accuracy: number;
  recall: Record<string, number>;
  pointing_game_15px: number | null;
  true_counts: Record<string, number>;
  predicted_counts: Record<string, number>;
}

/** Images per class, by true label and by the model's choice. */
export function classCounts(e: Evaluation, classes: readonly string[]) {
  const count = (labels: readonly string[]) =>
    Object.fromEntries(classes.map((c) => [c, labels.filter((l) => l === c).length]));
  const chosen = e.predictions.map((p) => classes[p.probs.indexOf(Math.max(...p.probs))] ?? "");
  return { true_counts: count(e.predictions.map((p) => p.label)), predicted_counts: count(chosen) };
}

/** The largest fall of validation accuracy from one epoch to the next, counting only falls into epochs after `after`. */
export function largestValidationDrop(history: readonly EpochRecord[], after = 3): number {
  let drop = 0;
  history.forEach((r, i) => {
    const previous = history[i - 1]?.val_accuracy;
    if (r.epoch > after && previous != null && r.val_accuracy !== null)
      drop = Math.max(drop, previous - r.val_accuracy);
  });
  return drop;
}

/**
 * A phantom data set in a folder named for everything that draws it, so runs that share `dir` (trying settings)
 * draw each set once: the generator is deterministic, and labels.csv is written last.
 */
async function phantomSet(dir: string, name: string, p: Parameters<typeof synthesizeDataset>[1]) {
  const folder = join(dir, `${name}-${p.style}-${p.count}-s${p.seed}-${p.size}px`);
  if (!(await stat(join(folder, "labels.csv")).catch(() => null))) await synthesizeDataset(folder, p);
  return folder;
}

export async function crossStyleRobustness(o: RobustnessOptions) {
  const trainDir = await phantomSet(o.dir, "train", {
    count: o.trainCount,
    seed: o.seed,
    size: o.size,
    style: o.trainStyle,
  });
  const outDir = join(o.dir, `model-${o.trainStyle}`);
  await rm(outDir, { recursive: true, force: true });
  const started = performance.now();
  const { version } = await trainModelVersion({
    dataDir: trainDir,
    outDir,
    seed: o.seed,
    ...(o.epochs ? { epochs: o.epochs } : {}),
    ...(o.learningRate ? { learningRate: o.learningRate } : {}),
    ...(o.schedule ? { schedule: o.schedule } : {}),
    ...(o.augment ? { augment: o.augment } : {}),
    ...(o.log ? { log: o.log } : {}),
    ...(o.onEpoch ? { onEpoch: o.onEpoch } : {}),
  });
  const trainSeconds = (performance.now() - started) / 1000;
  const { classifier } = await loadModelVersion(version.dir);
  const styles: StyleFigures[] = [];
  try {
    for (const style of phantomStyles) {
      // another seed: other patients than the training set's
      const testDir = await phantomSet(o.dir, "test", {
        count: o.testCount,
        seed: o.seed + 1000,
        size: o.size,
        style,
      });
      const items = await loadImages(await readDataset(testDir), classifier.classes);
      const e = await evaluateClassifier(classifier, items, {
        gradcam: o.gradcam ?? false,
        bootstrapIterations: 10,
      });
      styles.push({
        style,
        n: e.n,
        accuracy: e.accuracy,
        recall: Object.fromEntries(Object.entries(e.per_class).map(([c, f]) => [c, f.recall])),
        pointing_game_15px: e.localization?.pointing_game_tolerant ?? null,
        ...classCounts(e, classifier.classes),
      });
      o.log?.(`${style}: accuracy ${e.accuracy.toFixed(3)} on ${e.n}`);
    }
  } finally {
    disposeClassifier(classifier);
  }
  return {
    train_style: o.trainStyle,
    train_images: version.version.training["images"],
    train_seconds: trainSeconds,
    epochs_run: version.history.length,
    largest_val_accuracy_drop_after_epoch_3: largestValidationDrop(version.history),
    history: version.history,
    styles,
  };
}
