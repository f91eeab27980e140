// bench:al: how many labels each queue strategy needs. A parent compact model, trained on one set of
// phantoms (the champion a campaign starts from); a second set, of another patient population, is the unlabelled
// pool and, split off by patient, the test set. Its embeddings and the parent's Grad-CAM maps are computed once.
// Then for each strategy and seed: rounds of K simulated reads (ground truth with an error rate) and a head-only
// retrain on the cached embeddings, measured on the test set (al-core.ts). Prints the JSON, writes it and a PNG
// plot (vega-lite rendered to SVG, sharp to PNG) under bench/results.
// usage: npm run bench:al [-- --seeds 3 --rounds 8 --k 12 --error-rate 0.05 --pool 300 --out DIR --train-parent]
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { z } from "zod";
import { initBackend } from "../src/backend";
import { splitByPatient } from "../src/data/split";
import { gradCam } from "../src/gradcam/gradcam";
import { resizeMask } from "../src/gradcam/resize";
import { loadModelVersion } from "../src/model-version";
import { phantoms } from "../src/phantom/synthesize";
import { embed } from "../src/predict";
import { preprocess } from "../src/preprocess";
import { synthesizeDataset } from "../src/phantom/synthesize";
import { trainModelVersion } from "../src/train/train-version";
import {
  alStrategies,
  benchMixWeights,
  labelsToTarget,
  meanCurve,
  runLoop,
  type Pool,
  type RoundResult,
} from "./al-core";
import { headTrainer } from "./al-head";
import { plotCurves } from "./al-plot";

const args = z
  .object({
    seeds: z.coerce.number().int().min(1).max(10).default(3),
    rounds: z.coerce.number().int().min(1).max(30).default(8),
    k: z.coerce.number().int().min(1).max(100).default(12),
    initial: z.coerce.number().int().min(2).max(200).default(12),
    errorRate: z.coerce.number().min(0).max(0.5).default(0.05),
    pool: z.coerce.number().int().min(40).max(2000).default(300),
    trainParent: z.boolean().default(false),
    headEpochs: z.coerce.number().int().min(1).max(200).default(30),
    out: z.string().optional(),
  })
  .parse(
    // parseArgs keeps the options' dashes; the schema reads camelCase
    Object.fromEntries(
      Object.entries(
        parseArgs({
          options: {
            seeds: { type: "string" },
            rounds: { type: "string" },
            k: { type: "string" },
            initial: { type: "string" },
            "error-rate": { type: "string" },
            pool: { type: "string" },
            "train-parent": { type: "boolean" },
            "head-epochs": { type: "string" },
            out: { type: "string" },
          },
        }).values,
      ).map(([key, value]) => [key.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()), value]),
    ),
  );

const started = performance.now();
const seconds = () => Math.round((performance.now() - started) / 100) / 10;
const log = (m: string) => console.error(`[${seconds()}s] ${m}`);
const backend = await initBackend("auto");

// the parent: the champion a campaign's queue is ranked with. Training it takes ~10 min on a loaded 2-core machine
// (wasm), so the one made by `--train-parent` (120 classic phantoms, seed 11, 12 epochs: locked test 0.73, pointing
// game 0.94) is kept in bench/fixtures/al-parent; loading verifies its checksums.
const here = dirname(fileURLToPath(import.meta.url));
let parentDir = join(here, "fixtures", "al-parent");
if (args.trainParent) {
  const work = await mkdtemp(join(tmpdir(), "bench-al-"));
  await synthesizeDataset(join(work, "parent"), { count: 120, size: 128, seed: 11 });
  parentDir = join(work, "model");
  await trainModelVersion({ dataDir: join(work, "parent"), outDir: parentDir, epochs: 12, log });
}
const { classifier, version } = await loadModelVersion(parentDir);
log(`parent: locked-test accuracy ${String((version.metrics as { accuracy?: number }).accuracy)}`);
const classes = classifier.classes;

// the pool and the test set: other patients (another seed), split by patient
const all = [...phantoms({ count: args.pool, size: 128, seed: 23 })];
const split = splitByPatient(
  all.map((p) => ({ patientId: p.patientId, label: p.label })),
  { testFraction: 0.3, valFraction: 0, seed: 5 },
);
const testPatients = new Set(split.test);
const poolItems = all.filter((p) => !testPatients.has(p.patientId));
const testItems = all.filter((p) => testPatients.has(p.patientId));
const truthOf = (items: typeof all) => items.map((p) => classes.indexOf(p.label));

const size = classifier.model.getLayer("embedding").outputShape.at(-1) as number;
const poolX = await embed(
  classifier,
  poolItems.map((p) => p.image),
  32,
);
const testX = await embed(
  classifier,
  testItems.map((p) => p.image),
  32,
);
// the parent's Grad-CAM of its predicted class, on the target layer's grid, and the lesion masks on that grid
const cams: Float32Array[] = [];
const masks: Uint8Array[] = [];
for (let start = 0; start < poolItems.length; start += 16) {
  const chunk = poolItems.slice(start, start + 16);
  const batch = preprocess(
    chunk.map((p) => p.image),
    classifier,
  );
  const cam = await gradCam(classifier, batch);
  batch.dispose();
  cam.coarse.forEach((map, i) => {
    cams.push(map.data);
    const mask = resizeMask(chunk[i]!.mask, map.width, map.height);
    masks.push(Uint8Array.from(mask.data, (v) => (v > 0 ? 1 : 0)));
  });
}
log(`embedded ${poolItems.length} pool and ${testItems.length} test images (${size} floats each)`);

const pool: Pool = { size, x: poolX, truth: truthOf(poolItems), cams, masks };
const test = { x: testX, truth: truthOf(testItems) };
const train = headTrainer({
  size,
  classes: classes.length,
  batchNorm: classifier.headBatchNorm,
  epochs: args.headEpochs,
});

// the ceiling: a head on the whole pool with true labels; the target is 95% of it
const ceilingPredict = await train({ x: pool.x, labels: pool.truth }, 1);
const ceilingProbs = await ceilingPredict(test.x);
const ceiling =
  ceilingProbs.filter((p, i) => p.indexOf(Math.max(...p)) === test.truth[i]).length / test.truth.length;
const target = Math.round(0.95 * ceiling * 1000) / 1000;

const curves: Record<string, RoundResult[]> = {};
const perSeed: Record<string, (number | null)[]> = {};
for (const strategy of alStrategies) {
  const runs: RoundResult[][] = [];
  for (let s = 0; s < args.seeds; s++)
    runs.push(
      await runLoop(
        {
          strategy,
          classes: classes.length,
          initial: args.initial,
          k: args.k,
          rounds: args.rounds,
          errorRate: args.errorRate,
          seed: 100 + s,
        },
        pool,
        test,
        train,
      ),
    );
  curves[strategy] = meanCurve(runs);
  perSeed[strategy] = runs.map((r) => labelsToTarget(r, target));
  log(`${strategy}: ${curves[strategy].map((r) => r.accuracy.toFixed(3)).join(" ")}`);
}

const randomLabels = labelsToTarget(curves.random!, target);
const result = {
  bench: "active-learning",
  date: new Date().toISOString().slice(0, 10),
  machine: { cpu: cpus()[0]?.model, cores: cpus().length, backend: backend.backend },
  command: `npm run bench:al -- ${process.argv.slice(2).join(" ")}`.trim(),
  setup: {
    classes,
    pool_images: poolItems.length,
    test_images: testItems.length,
    test_patients: testPatients.size,
    embedding_size: size,
    parent: {
      dir: args.trainParent ? "trained by this run" : "bench/fixtures/al-parent",
      locked_test_accuracy: (version.metrics as { accuracy?: number }).accuracy,
    },
    initial_labels: args.initial,
    k: args.k,
    rounds: args.rounds,
    reader_error_rate: args.errorRate,
    head_epochs: args.headEpochs,
    seeds: args.seeds,
    mix_weights: benchMixWeights,
  },
  ceiling_accuracy: ceiling,
  target_accuracy: target,
  strategies: Object.fromEntries(
    alStrategies.map((s) => {
      const labels = labelsToTarget(curves[s]!, target);
      return [
        s,
        {
          accuracy: curves[s]!.map((r) => ({ labels: r.labels, accuracy: r.accuracy })),
          labels_to_target: labels,
          labels_to_target_per_seed: perSeed[s],
          vs_random:
            labels !== null && randomLabels !== null
              ? Math.round((labels / randomLabels) * 1000) / 1000
              : null,
        },
      ];
    }),
  ),
  seconds: seconds(),
};

const outDir = args.out ?? join(here, "results");
await mkdir(outDir, { recursive: true });
const base = join(outDir, `active-learning-${result.date}`);
await writeFile(`${base}.json`, JSON.stringify(result, null, 2) + "\n");
await writeFile(`${base}.png`, await plotCurves(curves, target));
console.log(JSON.stringify(result));
