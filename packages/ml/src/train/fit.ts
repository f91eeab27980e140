// The training loop shared by full training (image batches, radiograph augmentation) and head retraining
// (cached embeddings): Adam with a schedule, softmax cross-entropy on the pre-softmax scores, history per epoch.
// By default it keeps the epoch with the lowest validation loss, stops early and balances uneven classes: the
// report's fixed recipe swung between epochs on data it was not tuned on. The rate starts at twice the report's 1e-3,
// follows its time decay and halves after two epochs without a lower validation loss (plateau): on 600 phantoms of
// the style the recipe was not tuned on, the report's 1e-3 left the model short of converged (0.940 against 0.967),
// and a cosine from 2e-3 (0.960) cut the rate too early for 300 small classic ones (0.82 against 0.95: package README).
import * as tf from "@tensorflow/tfjs";
import { type RunOptions, runLayers } from "../models/graph";
import { createRng, shuffled } from "../rng";
import { batchNormLayers, recomputeBatchNormStatistics } from "./batch-norm-statistics";
import { dropoutMask } from "./dropout";
import { type Checkpoint, type EpochOptions, runEpochs } from "./epochs";
import { oneHotLabels } from "./fit-data";
import { type EpochRecord } from "./history";
import { roiLoss, type RoiGuidance } from "./roi-guidance";

export interface FitData {
  count: number;
  labels: readonly number[];
  /** the inputs of these examples as one batch tensor */
  batch(indices: readonly number[], augment: boolean): tf.Tensor;
  /** the inputs with their lesion masks on the guidance grid [b, H, W] and 1 where an example has one */
  guidedBatch?(
    indices: readonly number[],
    augment: boolean,
  ): { x: tf.Tensor; mask: tf.Tensor3D; guided: tf.Tensor1D };
}

export interface FitOptions extends EpochOptions {
  /** ROI guidance: used on batches from `guidedBatch` */
  guidance?: RoiGuidance;
}

/**
 * Pre-softmax scores of a batch; `training` switches dropout and batch normalisation to training mode. `model`, where
 * known, lets fit keep all its weights (batch-normalisation statistics too) and measure validation with exact ones.
 */
export type Forward = ((x: tf.Tensor, training: boolean) => tf.Tensor) & { readonly model?: tf.LayersModel };

/**
 * What fit does unless told otherwise (see the file's header): a plateau schedule, and patience of a quarter of the
 * run (at least 5 epochs), so a long run on a small, noisy validation split is not cut off by one bad epoch.
 */
export function fitDefaults(epochs = 15): EpochOptions {
  return { schedule: "plateau", patience: Math.max(5, Math.ceil(epochs / 4)) };
}

/** Full training's initial rate: twice the report's 1e-3 (head retraining keeps 1e-3: fit-head.ts). */
export const fullTrainingRate = 2e-3;

/** training images whose batch-normalisation statistics are recomputed before each validation */
// 64: enough for stable means and variances; chained (each layer's pass starts from the previous layer's input), the
// recomputation costs about one forward pass of them, 0.4 s of a 17 s epoch of 431 guided images
const statisticsSample = 64;

/**
 * A model's named layer (default: the pre-softmax scores) as a Forward. With a seed, dropout in training mode draws
 * its masks from a seeded generator, so a training run is reproducible.
 */
export function forwardTo(model: tf.LayersModel, layer = "logits", seed?: number): Forward {
  const options = seededDropout(seed);
  const forward = (x: tf.Tensor, training: boolean) =>
    runLayers(model, [x], [layer], { training, ...options })[0] as tf.Tensor;
  return Object.assign(forward, { model });
}

/** Copies of the variables (all of a model's weights where the forward knows its model), put back on restore. */
function checkpointOf(forward: Forward, vars: readonly tf.Variable[]): Checkpoint {
  const targets: { read(): tf.Tensor; write(t: tf.Tensor): void }[] = forward.model
    ? forward.model.weights.map((w) => ({ read: () => w.read(), write: (t) => w.write(t) }))
    : vars.map((v) => ({ read: () => v, write: (t) => v.assign(t) }));
  let saved: tf.Tensor[] = [];
  const dispose = () => {
    tf.dispose(saved);
    saved = [];
  };
  return {
    save: () => {
      dispose();
      saved = targets.map((t) => tf.keep(tf.clone(t.read())));
    },
    restore: () => {
      // a variable's assign shares the saved tensor's data (reference-counted), so disposing the copies later is safe
      targets.forEach((t, i) => t.write(saved[i] as tf.Tensor));
    },
    dispose,
  };
}

/**
 * Sets a model's batch-normalisation statistics from a fixed sample of the training inputs (not augmented), so that
 * validation measures the model as it will be used (moving averages at batch 8 lag behind and swing).
 */
async function refreshStatistics(model: tf.LayersModel, train: FitData, seed: number): Promise<void> {
  if (batchNormLayers(model).length === 0) return;
  const sample = shuffled(
    Array.from({ length: train.count }, (_, i) => i),
    createRng(seed),
  ).slice(0, statisticsSample);
  await recomputeBatchNormStatistics(
    model,
    function* () {
      for (let start = 0; start < sample.length; start += 32) {
        const batch = train.batch(sample.slice(start, start + 32), false);
        try {
          yield batch;
        } finally {
          batch.dispose();
        }
      }
    },
    { chain: true },
  );
}

/** Run options whose dropout masks come from a generator seeded with `seed` (none without one). */
export function seededDropout(seed?: number): Pick<RunOptions, "dropoutMask"> {
  if (seed === undefined) return {};
  const rng = createRng(seed);
  return { dropoutMask: (shape, rate) => dropoutMask(shape, rate, rng) };
}

/** Trains the model behind `forward` on `vars`; returns the history. */
export async function fit(
  forward: Forward,
  vars: tf.Variable[],
  classes: number,
  train: FitData,
  val: FitData | undefined,
  options: FitOptions = {},
): Promise<EpochRecord[]> {
  const guidance = options.guidance;
  const model = forward.model;
  return runEpochs(
    train.count,
    {
      ...fitDefaults(options.epochs),
      balanceLabels: train.labels,
      ...(val && val.count > 0 ? { checkpoint: checkpointOf(forward, vars) } : {}),
      ...options,
    },
    async (idx, optimizer) => {
      const [loss, hits] = tf.tidy(() => {
        // guided only where the data can give masks
        const sample = guidance && train.guidedBatch?.(idx, true);
        const x = sample?.x ?? train.batch(idx, true);
        const y = oneHotLabels(train.labels, idx, classes);
        let logits: tf.Tensor | undefined;
        const cost = optimizer.minimize(
          () => {
            if (!guidance || !sample) {
              const out = forward(x, true);
              logits = tf.keep(out);
              return tf.losses.softmaxCrossEntropy(y, out);
            }
            const out = guidance.forward(x, true, y);
            logits = tf.keep(out.logits);
            const roi = roiLoss(out.evidence, sample.mask, sample.guided);
            return tf.add(tf.losses.softmaxCrossEntropy(y, out.logits), tf.mul(roi, guidance.weight));
          },
          true,
          vars,
        );
        const kept = logits as tf.Tensor;
        const hit = tf.sum(tf.equal(tf.argMax(kept, 1), tf.argMax(y, 1)).toInt());
        kept.dispose();
        return [cost as tf.Scalar, hit];
      });
      const result = { loss: (await loss.data())[0]!, hits: (await hits.data())[0]! };
      tf.dispose([loss, hits]);
      return result;
    },
    val && val.count > 0
      ? async () => {
          if (model) await refreshStatistics(model, train, options.seed ?? 42);
          return evaluateLoss(forward, classes, val);
        }
      : undefined,
  );
}

/** Mean cross-entropy and accuracy in inference mode. */
export async function evaluateLoss(
  forward: Forward,
  classes: number,
  data: FitData,
  batchSize = 32,
): Promise<{ val_loss: number; val_accuracy: number }> {
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < data.count; start += batchSize) {
    const idx = Array.from({ length: Math.min(batchSize, data.count - start) }, (_, i) => start + i);
    const [loss, hits] = tf.tidy(() => {
      const logits = forward(data.batch(idx, false), false);
      const y = oneHotLabels(data.labels, idx, classes);
      const l = tf.sum(tf.losses.softmaxCrossEntropy(y, logits, undefined, 0, tf.Reduction.NONE));
      return [l, tf.sum(tf.equal(tf.argMax(logits, 1), tf.argMax(y, 1)).toInt())];
    });
    lossSum += (await loss.data())[0]!;
    correct += (await hits.data())[0]!;
    tf.dispose([loss, hits]);
  }
  return { val_loss: lossSum / data.count, val_accuracy: correct / data.count };
}
