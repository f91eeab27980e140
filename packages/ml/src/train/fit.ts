// The training loop shared by full training (image batches, rotation augmentation) and head retraining
// (cached embeddings): Adam with decay, softmax cross-entropy on the pre-softmax scores, history per epoch.
import * as tf from "@tensorflow/tfjs";
import { type RunOptions, runLayers } from "../models/graph";
import { createRng } from "../rng";
import { dropoutMask } from "./dropout";
import { type EpochOptions, runEpochs } from "./epochs";
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

/** Pre-softmax scores of a batch; `training` switches dropout and batch normalisation to training mode. */
export type Forward = (x: tf.Tensor, training: boolean) => tf.Tensor;

/**
 * A model's named layer (default: the pre-softmax scores) as a Forward. With a seed, dropout in training mode draws
 * its masks from a seeded generator, so a training run is reproducible.
 */
export function forwardTo(model: tf.LayersModel, layer = "logits", seed?: number): Forward {
  const options = seededDropout(seed);
  return (x, training) => runLayers(model, [x], [layer], { training, ...options })[0] as tf.Tensor;
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
  return runEpochs(
    train.count,
    options,
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
    val && val.count > 0 ? () => evaluateLoss(forward, classes, val) : undefined,
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
