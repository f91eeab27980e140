// `evaluate --model MODEL_DIR --data DIR [--json] [--no-gradcam] [--bootstrap N]`: every row of labels.csv.
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { readDataset } from "../data/dataset";
import { loadImages } from "../data/load";
import { evaluateClassifier } from "../evaluate";
import { loadModelVersion } from "../model-version";
import { intFlag, parseCommand, pathFlag } from "./args";

const schema = z.object({
  model: pathFlag("model version folder"),
  data: pathFlag("data-set folder"),
  json: z.boolean().default(false),
  "no-gradcam": z.boolean().default(false),
  bootstrap: intFlag(10).pipe(z.number().max(100_000)).default(1000),
});

export async function evaluateCommand(argv: string[]): Promise<void> {
  const s = { type: "string" } as const;
  const a = parseCommand(
    argv,
    { model: s, data: s, json: { type: "boolean" }, "no-gradcam": { type: "boolean" }, bootstrap: s },
    schema,
  );
  const started = performance.now();
  const { classifier, version } = await loadModelVersion(a.model);
  try {
    const rows = await readDataset(a.data);
    const items = await loadImages(rows, classifier.classes);
    const e = await evaluateClassifier(classifier, items, {
      gradcam: !a["no-gradcam"],
      bootstrapIterations: a.bootstrap,
    });
    const out = {
      model: { dir: a.model, id: version.version.id, arch: version.version.arch, sha256: version.digest },
      classes: e.classes,
      n: e.n,
      confusion_matrix: e.confusion_matrix,
      accuracy: e.accuracy,
      per_class: e.per_class,
      macro_f1: e.macro_f1,
      auc_ovr_macro: e.auc_ovr_macro,
      kappa: e.kappa,
      ece: e.ece,
      ci95: e.ci95,
      pointing_game: e.localization,
      predictions: e.predictions,
      seconds: (performance.now() - started) / 1000,
      backend: tf.getBackend(),
    };
    if (a.json) {
      console.log(JSON.stringify(out));
      return;
    }
    console.log(`${e.n} images, classes ${e.classes.join(", ")}`);
    console.log(
      `accuracy ${e.accuracy.toFixed(4)}  auc_ovr_macro ${e.auc_ovr_macro?.toFixed(4) ?? "n/a"}  kappa ${e.kappa.toFixed(4)}  ece ${e.ece.toFixed(4)}`,
    );
    console.log(`confusion matrix (rows true, columns predicted): ${JSON.stringify(e.confusion_matrix)}`);
    for (const [name, c] of Object.entries(e.per_class)) {
      console.log(
        `  ${name}: precision ${c.precision.toFixed(4)} recall ${c.recall.toFixed(4)} specificity ${c.specificity.toFixed(4)} f1 ${c.f1.toFixed(4)} n=${c.support}`,
      );
    }
    if (e.localization) {
      console.log(
        `Grad-CAM pointing game ${e.localization.pointing_game.toFixed(4)} (15 px tolerance ${e.localization.pointing_game_tolerant?.toFixed(4)}, energy ${e.localization.energy_pointing_game.toFixed(4)}, chance ${e.localization.baseline.toFixed(4)}) over ${e.localization.n} lesion images`,
      );
    }
  } finally {
    classifier.model.dispose();
  }
}
