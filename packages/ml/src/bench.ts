// Measured, not estimated: per architecture, ms per image for prediction and for prediction + Grad-CAM at batch
// 1 and 8, achieved GFLOP/s, seconds to retrain the head on 10,000 cached embeddings for 15 epochs, and the
// tensor count before and after 100 predictions (a leak shows as growth). Where ONNX Runtime is available, the
// same at batch 8 with the backbone on it, embeddings per second, the machine's sgemm peak measured in the same
// run and the targets met or not; the load average says how busy the (shared) machine was.
import os from "node:os";
import * as tf from "@tensorflow/tfjs";
import { gradCam } from "./gradcam/gradcam";
import { type Arch, archSchema } from "./models/arch";
import { buildClassifier, type Classifier, embeddingSize, extractHead } from "./models/classifier";
import { macsPerImage } from "./models/flops";
import { layerNames } from "./models/head";
import { backboneEngine, onnxRuntime } from "./onnx/backbone";
import { type SgemmPeak, sgemmPeak } from "./onnx/sgemm";
import { forward } from "./predict";
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
  /** the backbone on ONNX Runtime, the head and Grad-CAM in tfjs; null where ONNX Runtime is not available */
  onnx: {
    predict_ms_per_image_batch8: number;
    predict_gradcam_ms_per_image_batch8: number;
    embeddings_per_s_batch8: number;
    gflops_per_s_predict_batch8: number;
    speedup_predict_gradcam_batch8: number;
  } | null;
}

/** The targets: ms per image for predict + Grad-CAM at batch 8 (backbone on ONNX Runtime), VGG16 img/s. */
export const targets = {
  predict_gradcam_ms_per_image_batch8: { vgg16: 250, densenet121: 80, resnet50: 100, compact: 3 },
  vgg16_embeddings_per_s: 6,
} as const;

export interface TargetCheck {
  what: string;
  target: string;
  measured: number | null;
  met: boolean;
}

export interface BenchReport {
  date: string;
  backend: string;
  backbone_engine: "onnxruntime" | "tfjs";
  machine: {
    cpus: number;
    platform: string;
    node: string;
    /** os.loadavg() (1, 5, 15 min) at the start and the end: the machine is shared */
    load_average: { start: number[]; end: number[] };
    sgemm_peak: SgemmPeak | null;
  };
  archs: ArchBench[];
  targets: TargetCheck[];
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

async function predictOnce(c: Classifier, batch: tf.Tensor4D, layer?: string): Promise<void> {
  const out = await forward(c, batch, layer);
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

/** Batch 8 with the backbone on ONNX Runtime (the session compiled once, before the timing). */
async function benchOnnx(
  c: Classifier,
  b8: tf.Tensor4D,
  budget: number,
  tfjsGradCam8: number,
  options: BenchOptions,
) {
  c.backboneKey = `bench:${c.arch}`;
  try {
    options.log?.(`${c.arch}: ONNX Runtime backbone`);
    const p8 = (await timeIt(() => predictOnce(c, b8), budget)) / 8;
    const g8 = (await timeIt(async () => void (await gradCam(c, b8)), budget)) / 8;
    const e8 = (await timeIt(() => predictOnce(c, b8, layerNames.embedding), budget)) / 8;
    return {
      predict_ms_per_image_batch8: p8,
      predict_gradcam_ms_per_image_batch8: g8,
      embeddings_per_s_batch8: 1000 / e8,
      gflops_per_s_predict_batch8: (2 * macsPerImage(c.model)) / (p8 / 1000) / 1e9,
      speedup_predict_gradcam_batch8: tfjsGradCam8 / g8,
    };
  } finally {
    delete c.backboneKey;
  }
}

function checkTargets(archs: readonly ArchBench[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const [arch, ms] of Object.entries(targets.predict_gradcam_ms_per_image_batch8)) {
    const r = archs.find((a) => a.arch === arch);
    if (!r) continue;
    const measured = r.onnx?.predict_gradcam_ms_per_image_batch8 ?? null;
    checks.push({
      what: `${arch} predict + Grad-CAM, ms per image at batch 8`,
      target: `<= ${ms}`,
      measured,
      met: measured !== null && measured <= ms,
    });
  }
  const vgg = archs.find((a) => a.arch === "vgg16");
  if (vgg) {
    const measured = vgg.onnx?.embeddings_per_s_batch8 ?? null;
    checks.push({
      what: "vgg16 embeddings per second",
      target: `>= ${targets.vgg16_embeddings_per_s}`,
      measured,
      met: measured !== null && measured >= targets.vgg16_embeddings_per_s,
    });
  }
  return checks;
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
      const onnx = (await onnxRuntime()) ? await benchOnnx(c, b8, budget, g8, options) : null;
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
        onnx,
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
  const loadStart = os.loadavg();
  options.log?.("sgemm peak (ONNX Runtime MatMul 2048x2048)");
  const peak = (await sgemmPeak(2048, options.budgetMs ?? 2000)) ?? null;
  const archs: ArchBench[] = [];
  for (const arch of options.archs ?? archSchema.options) archs.push(await benchArch(arch, options));
  return {
    date: new Date().toISOString(),
    backend: tf.getBackend(),
    backbone_engine: await backboneEngine(),
    machine: {
      cpus: os.cpus().length,
      platform: `${os.platform()} ${os.arch()}`,
      node: process.version,
      load_average: { start: loadStart, end: os.loadavg() },
      sgemm_peak: peak,
    },
    archs,
    targets: checkTargets(archs),
    seconds: (performance.now() - started) / 1000,
  };
}
