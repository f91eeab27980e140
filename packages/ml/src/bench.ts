// Measured, not estimated: per architecture, ms per image for prediction and for prediction + Grad-CAM at batch
// 1 and 8, achieved GFLOP/s, seconds to retrain the head on 10,000 cached embeddings for 15 epochs, and the
// tensor count before and after 100 predictions (a leak shows as growth).
import * as tf from "@tensorflow/tfjs";
import { gradCam } from "./gradcam/gradcam";
import { type Arch, archSchema } from "./models/arch";
import { buildClassifier, type Classifier, embeddingSize, extractHead } from "./models/classifier";
import { macsPerImage } from "./models/flops";
import { createRng } from "./rng";
import { fitHead } from "./train/fit-head";
import { headBatchSize } from "./train/train-version";

export interface BenchOptions {
  archs?: readonly Arch[];
  /** predictions between the two tensor counts (default 100) */
  leakRuns?: number;
  headEmbeddings?: number;
  headEpochs?: number;
  /** time budget per measurement in ms: repeats until spent (at least once after a warm-up) */
  budgetMs?: number;
  log?: (message: string) => void;
}

export interface ArchBench {
  arch: Arch;
  gmacs_per_image: number;
  predict_ms_per_image: { batch1: number; batch8: number };
  predict_gradcam_ms_per_image: { batch1: number; batch8: number };
  gflops_per_s: { predict_batch1: number; predict_batch8: number };
  head_retrain: {
    /** median of the runs (the first pays one-time costs: JIT, WebAssembly memory growth) */
    seconds: number;
    /** the first run in this process */
    cold_seconds: number;
    runs: number[];
    embeddings: number;
    epochs: number;
    batch_size: number;
    embedding_size: number;
  };
  tensors: { before: number; after: number; predictions: number };
}

export interface BenchReport {
  backend: string;
  machine: { cpus: number; platform: string; node: string };
  archs: ArchBench[];
  seconds: number;
}

async function timeIt(run: () => Promise<void>, budgetMs: number): Promise<number> {
  await run(); // warm-up: kernel setup, weight packing
  let runs = 0;
  const started = performance.now();
  do {
    await run();
    runs++;
  } while (performance.now() - started < budgetMs);
  return (performance.now() - started) / runs;
}

function randomBatch(c: Classifier, n: number): tf.Tensor4D {
  return tf.randomUniform([n, c.inputSize[0], c.inputSize[1], c.channels], 0, 1, "float32", 1);
}

async function predictOnce(c: Classifier, batch: tf.Tensor4D): Promise<void> {
  const out = tf.tidy(() => c.model.predict(batch) as tf.Tensor);
  await out.data();
  out.dispose();
}

/**
 * Seconds to train the head on `count` synthetic embeddings (class-dependent means) for `epochs`: `repeats` runs
 * from the same initial head, their median and the first (cold) one.
 */
export async function benchHeadRetrain(c: Classifier, count: number, epochs: number, repeats = 3) {
  const size = embeddingSize(c);
  const k = c.classes.length;
  const rng = createRng(3);
  const centres = Array.from({ length: k }, () => Float32Array.from({ length: size }, () => rng.normal()));
  const labels = Array.from({ length: count }, (_, i) => i % k);
  const x = new Float32Array(count * size);
  labels.forEach((label, i) => {
    const centre = centres[label] as Float32Array;
    for (let j = 0; j < size; j++) x[i * size + j] = Math.max(0, (centre[j] ?? 0) + rng.normal());
  });
  const batchSize = headBatchSize(count);
  const runs: number[] = [];
  for (let r = 0; r < Math.max(1, repeats); r++) {
    const head = extractHead(c);
    const started = performance.now();
    try {
      await fitHead(head, { x, labels }, undefined, { epochs, batchSize });
    } finally {
      head.dispose();
    }
    runs.push((performance.now() - started) / 1000);
  }
  const sorted = [...runs].sort((a, b) => a - b);
  return {
    seconds: sorted[Math.floor((sorted.length - 1) / 2)] as number,
    cold_seconds: runs[0] as number,
    runs,
    embeddings: count,
    epochs,
    batch_size: batchSize,
    embedding_size: size,
  };
}

export async function benchArch(arch: Arch, options: BenchOptions = {}): Promise<ArchBench> {
  const budget = options.budgetMs ?? 2000;
  const c = await buildClassifier({ arch, classes: ["normal", "pneumonia", "covid-19"] });
  try {
    const macs = macsPerImage(c.model);
    const b1 = randomBatch(c, 1);
    const b8 = randomBatch(c, 8);
    try {
      options.log?.(`${arch}: prediction`);
      const p1 = await timeIt(() => predictOnce(c, b1), budget);
      const p8 = (await timeIt(() => predictOnce(c, b8), budget)) / 8;
      options.log?.(`${arch}: prediction + Grad-CAM`);
      const g1 = await timeIt(async () => void (await gradCam(c, b1)), budget);
      const g8 = (await timeIt(async () => void (await gradCam(c, b8)), budget)) / 8;
      options.log?.(`${arch}: head retraining`);
      const head = await benchHeadRetrain(c, options.headEmbeddings ?? 10_000, options.headEpochs ?? 15);
      options.log?.(`${arch}: tensor count over predictions`);
      const runs = options.leakRuns ?? 100;
      const before = tf.memory().numTensors;
      for (let i = 0; i < runs; i++) await predictOnce(c, b1);
      const after = tf.memory().numTensors;
      const gflops = (ms: number) => (2 * macs) / (ms / 1000) / 1e9;
      return {
        arch,
        gmacs_per_image: macs / 1e9,
        predict_ms_per_image: { batch1: p1, batch8: p8 },
        predict_gradcam_ms_per_image: { batch1: g1, batch8: g8 },
        gflops_per_s: { predict_batch1: gflops(p1), predict_batch8: gflops(p8) },
        head_retrain: head,
        tensors: { before, after, predictions: runs },
      };
    } finally {
      tf.dispose([b1, b8]);
    }
  } finally {
    c.model.dispose();
  }
}

export async function bench(options: BenchOptions = {}): Promise<BenchReport> {
  const started = performance.now();
  const archs: ArchBench[] = [];
  for (const arch of options.archs ?? archSchema.options) archs.push(await benchArch(arch, options));
  const os = await import("node:os");
  return {
    backend: tf.getBackend(),
    machine: { cpus: os.cpus().length, platform: `${os.platform()} ${os.arch()}`, node: process.version },
    archs,
    seconds: (performance.now() - started) / 1000,
  };
}
