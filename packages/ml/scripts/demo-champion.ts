// The demo's first model, measured as a fresh `npm start` trains it (apps/inference/src/demo/seed-demo.ts): 300
// phantoms of size 256 from seed 7, the labels of 2/3 of the patients (the same sha256 share as the demo), the
// compact model with the default settings, split by patient. Prints JSON: locked-test figures and the prediction
// counts per class over all 300 images against the true counts.
// usage: npx tsx scripts/demo-champion.ts [--out DIR] [--epochs N] [--style classic|alternate]
import { createHash } from "node:crypto";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { cpus } from "node:os";
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { initBackend } from "../src/backend";
import { readDataset } from "../src/data/dataset";
import { loadImages } from "../src/data/load";
import { evaluateClassifier } from "../src/evaluate";
import { loadModelVersion } from "../src/model-version";
import { phantomStyles } from "../src/phantom/style";
import { synthesizeDataset } from "../src/phantom/synthesize";
import { classCounts, largestValidationDrop } from "../src/robustness";
import { trainModelVersion } from "../src/train/train-version";

const args = z
  .object({
    out: z.string().optional(),
    epochs: z.coerce.number().int().positive().optional(),
    style: z.enum(phantomStyles).default("classic"),
  })
  .parse(
    parseArgs({ options: { out: { type: "string" }, epochs: { type: "string" }, style: { type: "string" } } })
      .values,
  );

const hashShare = (id: string) => createHash("sha256").update(id).digest().readUInt32BE(0) / 2 ** 32;

await initBackend("auto");
const dir = args.out ?? (await mkdtemp(join(tmpdir(), "demo-champion-")));
const all = join(dir, "all");
const labelled = join(dir, "labelled");
await synthesizeDataset(all, { count: 300, size: 256, seed: 7, style: args.style });
await synthesizeDataset(labelled, { count: 300, size: 256, seed: 7, style: args.style });
// only the labelled patients' rows, as the demo imports labels for 2/3 of the patients
const lines = (await readFile(join(labelled, "labels.csv"), "utf8")).trim().split("\n");
const kept = lines.filter((l, i) => i === 0 || hashShare(l.split(",")[2] ?? "") < 2 / 3);
await writeFile(join(labelled, "labels.csv"), kept.join("\n") + "\n");

const started = performance.now();
const { version } = await trainModelVersion({
  dataDir: labelled,
  outDir: join(dir, "model"),
  ...(args.epochs ? { epochs: args.epochs } : {}),
  log: (m) => console.error(m),
  onEpoch: (r) => console.error(JSON.stringify(r)),
});
const trainSeconds = (performance.now() - started) / 1000;
const { classifier } = await loadModelVersion(version.dir);
const items = await loadImages(await readDataset(all), classifier.classes);
const e = await evaluateClassifier(classifier, items, { gradcam: false, bootstrapIterations: 10 });
const m = version.metrics as { accuracy?: number; n?: number };
console.log(
  JSON.stringify({
    bench: "demo-champion",
    machine: { cpu: cpus()[0]?.model, cores: cpus().length, backend: tf.getBackend() },
    command: `npx tsx scripts/demo-champion.ts ${process.argv.slice(2).join(" ")}`.trim(),
    style: args.style,
    labelled_images: kept.length - 1,
    train_seconds: trainSeconds,
    epochs_run: version.history.length,
    locked_test: { n: m.n, accuracy: m.accuracy },
    all_300: { accuracy: e.accuracy, ...classCounts(e, classifier.classes) },
    largest_val_accuracy_drop_after_epoch_3: largestValidationDrop(version.history),
    val_accuracy: version.history.map((h) => h.val_accuracy),
  }),
);
