// Head retraining on cached embeddings, fast enough for thousands of corrected labels in seconds on a CPU,
// without changing the model:
// - The head's batch normalisation sits on frozen features, so its statistics are the training embeddings'
//   moments: they are computed once (exactly what its moving averages converge to) and the embeddings are
//   standardised up front; its scale and shift are folded into the Dense layer that follows (same function).
// - The gradients of the two Dense layers are written out (checked against tfjs' autodiff in the tests): tfjs'
//   fused matMul gradient also computes the gradient of the input, a third of the work, which is never needed.
// - Each batch and its transpose stay in the backend for the run when they fit (see fitHead).
// - Dropout masks come from the seeded generator, so a retraining is reproducible.
import * as tf from "@tensorflow/tfjs";
import { layerNames } from "../models/head";
import { dropoutMask } from "./dropout";
import { matrixRows, oneHotLabels } from "./fit-data";
import { type EpochOptions, runEpochs } from "./epochs";
import { type EpochRecord } from "./history";

export interface EmbeddingSet {
  /** row-major [count, size] */
  x: Float32Array;
  labels: readonly number[];
}

export type FitHeadOptions = Omit<EpochOptions, "shuffle">;

/** Training sets up to this size keep their batches in the backend for the whole run (x and its transpose). */
const keptBatchBytes = 512 * 1024 * 1024;

const paramKeys = ["w1T", "b1", "w2", "b2"] as const;

/**
 * The Dense layers' weights as training holds them: fc (embedding -> hidden, ReLU) with its kernel transposed
 * ([hidden, embedding]), and logits (hidden -> classes). Transposed, the kernel is the left operand of both large
 * products and each batch is the right one; wasm's matrix product packs its right operand once per tensor and
 * reuses the packing, so a batch kept for the run is packed once instead of every step (about a quarter faster).
 */
export type HeadParams = Record<(typeof paramKeys)[number], tf.Tensor>;
type LayerVariables = { w1: tf.Variable; b1: tf.Variable; w2: tf.Variable; b2: tf.Variable };

function headParams(head: tf.LayersModel): LayerVariables {
  const [w1, b1] = head.getLayer(layerNames.dense).trainableWeights.map((w) => w.read() as tf.Variable);
  const [w2, b2] = head.getLayer(layerNames.logits).trainableWeights.map((w) => w.read() as tf.Variable);
  if (!w1 || !b1 || !w2 || !b2) throw new Error("the head has no fc/logits kernels and biases");
  return { w1, b1, w2, b2 };
}

function dropoutRate(head: tf.LayersModel): number {
  const config = head.getLayer(layerNames.dropout).getConfig();
  return typeof config.rate === "number" ? config.rate : 0.5;
}

/** Column means and (population) variances of a row-major matrix. */
export function columnMoments(x: Float32Array, size: number): { mean: Float64Array; variance: Float64Array } {
  const rows = x.length / size;
  const mean = new Float64Array(size);
  const sq = new Float64Array(size);
  for (let r = 0; r < rows; r++) {
    const o = r * size;
    for (let j = 0; j < size; j++) {
      const v = x[o + j] as number;
      mean[j] = (mean[j] as number) + v;
      sq[j] = (sq[j] as number) + v * v;
    }
  }
  const variance = new Float64Array(size);
  for (let j = 0; j < size; j++) {
    const m = (mean[j] as number) / rows;
    mean[j] = m;
    variance[j] = Math.max(0, (sq[j] as number) / rows - m * m);
  }
  return { mean, variance };
}

function standardised(x: Float32Array, size: number, mean: Float64Array, scale: Float64Array): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const j = i % size;
    out[i] = ((x[i] as number) - (mean[j] as number)) * (scale[j] as number);
  }
  return out;
}

/**
 * Re-bases the head's batch normalisation on new statistics without changing the head's function: the old
 * normalisation (gamma, beta, old moments) is folded into fc for inputs standardised with the new moments, and
 * the layer becomes a plain standardisation with those moments. Returns 1 / sqrt(var + eps) per channel.
 */
function rebaseBatchNorm(
  head: tf.LayersModel,
  params: LayerVariables,
  mean: Float64Array,
  variance: Float64Array,
): Float64Array {
  const bn = head.getLayer(layerNames.batchNorm);
  const eps = Number(bn.getConfig().epsilon ?? 1e-3);
  const [gamma, beta, oldMean, oldVar] = bn.getWeights().map((w) => w.dataSync() as Float32Array);
  if (!gamma || !beta || !oldMean || !oldVar)
    throw new Error("the head's batch normalisation has no weights");
  const size = mean.length;
  const units = params.w1.shape[1] as number;
  const w1 = params.w1.dataSync() as Float32Array;
  const b1 = Float32Array.from(params.b1.dataSync() as Float32Array);
  const newW1 = new Float32Array(w1.length);
  const scale = new Float64Array(size);
  for (let j = 0; j < size; j++) {
    const oldStd = Math.sqrt((oldVar[j] as number) + eps);
    const newStd = Math.sqrt((variance[j] as number) + eps);
    scale[j] = 1 / newStd;
    // old BN of x = s * xhat + t, with x = newStd * xhat + mean
    const s = ((gamma[j] as number) * newStd) / oldStd;
    const t =
      ((gamma[j] as number) * ((mean[j] as number) - (oldMean[j] as number))) / oldStd + (beta[j] as number);
    for (let u = 0; u < units; u++) {
      const w = w1[j * units + u] as number;
      newW1[j * units + u] = s * w;
      b1[u] = (b1[u] as number) + t * w;
    }
  }
  tf.tidy(() => {
    params.w1.assign(tf.tensor2d(newW1, params.w1.shape as [number, number]));
    params.b1.assign(tf.tensor1d(b1));
    bn.setWeights([
      tf.ones([size]),
      tf.zeros([size]),
      tf.tensor1d(Float32Array.from(mean)),
      tf.tensor1d(Float32Array.from(variance)),
    ]);
  });
  return scale;
}

export interface HeadStep {
  /** softmax probabilities of the batch */
  probs: tf.Tensor2D;
  grads: HeadParams;
}

/**
 * The head's probabilities for a batch given transposed ([embedding, batch]); `mask` is the (inverted) dropout mask
 * on the hidden units, or null in inference.
 */
function forward(p: HeadParams, xT: tf.Tensor2D, mask: tf.Tensor2D | null) {
  const a1 = tf.relu(tf.add(tf.transpose(tf.matMul(p.w1T as tf.Tensor2D, xT)), p.b1)) as tf.Tensor2D;
  const h = mask ? tf.mul(a1, mask) : a1;
  // no autodiff here, so the fused product (with bias) is free to use
  const probs = tf.softmax(tf.fused.matMul({ a: h, b: p.w2 as tf.Tensor2D, bias: p.b2 })) as tf.Tensor2D;
  return { a1, h, probs };
}

/**
 * The gradients of the batch's mean softmax cross-entropy with respect to the four Dense variables, and the
 * probabilities they came from (the loss itself is computed from them on the CPU: fewer kernel calls per step).
 */
export function headStep(
  p: HeadParams,
  x: tf.Tensor2D,
  y: tf.Tensor2D,
  mask: tf.Tensor2D | null,
  /** x transposed, when the caller has it already */
  xT?: tf.Tensor2D,
): HeadStep {
  return tf.tidy(() => {
    const n = x.shape[0];
    const { a1, h, probs } = forward(p, xT ?? tf.transpose(x), mask);
    const gate = mask ? tf.mul(tf.step(a1), mask) : tf.step(a1);
    // gradients this small teach nothing, and once the model is sure of itself they reach the CPU's subnormal
    // range, where every multiplication in the products below takes a slow path: flush them to zero
    const raw = tf.div(tf.sub(probs, y), n);
    const dz2 = tf.mul(raw, tf.step(tf.sub(tf.abs(raw), 1e-12)));
    const dz1 = tf.mul(tf.matMul(dz2, p.w2, false, true), gate);
    return {
      probs,
      grads: {
        // explicit transposes then plain products: wasm's transposed matMul is the slowest way to do this
        w1T: tf.matMul(tf.transpose(dz1), x),
        b1: tf.sum(dz1, 0),
        w2: tf.matMul(tf.transpose(h), dz2),
        b2: tf.sum(dz2, 0),
      },
    };
  });
}

/**
 * Summed cross-entropy and correct answers of row-major probabilities against the labels of `indices`; the
 * probability of the true class is clipped at 1e-7, as Keras does.
 */
export function crossEntropySum(
  probs: ArrayLike<number>,
  classes: number,
  labels: readonly number[],
  indices: readonly number[],
): { loss: number; hits: number } {
  let loss = 0;
  let hits = 0;
  indices.forEach((row, i) => {
    const label = labels[row] ?? 0;
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[i * classes + c]! > probs[i * classes + best]!) best = c;
    if (best === label) hits++;
    loss -= Math.log(Math.max(1e-7, probs[i * classes + label]!));
  });
  return { loss, hits };
}

/** Mean cross-entropy and accuracy of the head in inference mode, as a history record's validation fields. */
async function validationFigures(
  p: HeadParams,
  x: Float32Array,
  size: number,
  labels: readonly number[],
  classes: number,
): Promise<{ val_loss: number; val_accuracy: number }> {
  let loss = 0;
  let hits = 0;
  const chunk = 1024;
  for (let start = 0; start < labels.length; start += chunk) {
    const idx = Array.from({ length: Math.min(chunk, labels.length - start) }, (_, i) => start + i);
    const xb = matrixRows(x, size, idx);
    const probs = tf.tidy(() => forward(p, tf.transpose(xb), null).probs);
    const sums = crossEntropySum(await probs.data(), classes, labels, idx);
    loss += sums.loss;
    hits += sums.hits;
    tf.dispose([xb, probs]);
  }
  return { val_loss: loss / labels.length, val_accuracy: hits / labels.length };
}

/**
 * Trains the head (as built by buildHeadModel / extractHead) on cached embeddings, in place. Adam with the report's
 * time decay, softmax cross-entropy, one history record per epoch.
 */
export async function fitHead(
  head: tf.LayersModel,
  train: EmbeddingSet,
  val: EmbeddingSet | undefined,
  options: FitHeadOptions = {},
): Promise<EpochRecord[]> {
  const size = head.inputs[0]?.shape[1];
  if (typeof size !== "number") throw new Error("the head's input has no fixed size");
  if (train.labels.length === 0) throw new Error("no training examples");
  for (const [name, set] of [
    ["training", train],
    ["validation", val],
  ] as const)
    if (set && set.x.length !== set.labels.length * size)
      throw new Error(`${name} embeddings: ${set.x.length} values, expected ${set.labels.length} x ${size}`);
  const params = headParams(head);
  const classes = params.w2.shape[1] as number;
  const units = params.w1.shape[1] as number;
  let trainX = train.x;
  let valX = val?.x;
  if (head.layers.some((l) => l.name === layerNames.batchNorm)) {
    const { mean, variance } = columnMoments(train.x, size);
    const scale = rebaseBatchNorm(head, params, mean, variance);
    trainX = standardised(train.x, size, mean, scale);
    if (val) valX = standardised(val.x, size, mean, scale);
  }
  const rate = dropoutRate(head);
  const staging = new Float32Array((options.batchSize ?? 8) * size);
  // Keep every batch's tensors (and their transposes) for the whole run when they fit: copying 10,000 rows into
  // the backend and transposing them again every epoch cost as much as the arithmetic. The batches are then
  // fixed and visited in a new order each epoch (Keras' shuffle="batch"); beyond the budget, every epoch reshuffles
  // the examples and each batch is built when it is used.
  const keep = trainX.length * 4 * 2 <= keptBatchBytes;
  const kept = new Map<number, { x: tf.Tensor2D; xT: tf.Tensor2D; y: tf.Tensor2D }>();
  const batchTensors = (idx: number[], b: number) => {
    const ready = kept.get(b);
    if (ready) return ready;
    const x = matrixRows(trainX, size, idx, staging);
    const made = { x, xT: tf.transpose(x), y: oneHotLabels(train.labels, idx, classes) };
    if (keep) kept.set(b, made);
    return made;
  };
  // training holds fc's kernel transposed (see HeadParams); it is written back at the end
  const trained: Record<(typeof paramKeys)[number], tf.Variable> = {
    w1T: tf.tidy(() => tf.variable(tf.transpose(params.w1))),
    b1: params.b1,
    w2: params.w2,
    b2: params.b2,
  };
  try {
    return await runEpochs(
      train.labels.length,
      { ...options, shuffle: keep ? "batches" : "examples" },
      async (idx, optimizer, rng, b) => {
        const batch = batchTensors(idx, b);
        const mask = dropoutMask([idx.length, units], rate, rng) as tf.Tensor2D;
        const step = headStep(trained, batch.x, batch.y, mask, batch.xT);
        optimizer.applyGradients(paramKeys.map((k) => ({ name: trained[k].name, tensor: step.grads[k] })));
        const sums = crossEntropySum(await step.probs.data(), classes, train.labels, idx);
        tf.dispose([mask, step.probs, step.grads]);
        if (!keep) tf.dispose([batch.x, batch.xT, batch.y]);
        return { loss: sums.loss / idx.length, hits: sums.hits };
      },
      val && valX && val.labels.length > 0
        ? () => validationFigures(trained, valX, size, val.labels, classes)
        : undefined,
    );
  } finally {
    tf.tidy(() => params.w1.assign(tf.transpose(trained.w1T)));
    trained.w1T.dispose();
    for (const t of kept.values()) tf.dispose([t.x, t.xT, t.y]);
  }
}
