// The epoch loop both trainers share (full training on images, head retraining on embeddings): shuffled
// mini-batches, Adam with the report's time decay, and one history record per epoch with its validation figures.
import { createRng, type Rng, shuffled } from "../rng";
import { type EpochRecord } from "./history";
import { DecayingAdam } from "./optimizer";

export interface EpochOptions {
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** Keras-style time decay per iteration; default learningRate / epochs, as the report */
  decay?: number;
  seed?: number;
  /** called after each epoch (progress) */
  onEpoch?: (record: EpochRecord) => void;
  /**
   * "examples" (default): a new permutation of the examples every epoch. "batches" (Keras' shuffle="batch"): the
   * examples are permuted once into fixed batches, and every epoch visits the batches in a new order, so a trainer
   * can keep each batch's tensors for the whole run.
   */
  shuffle?: "examples" | "batches";
}

/**
 * One optimisation step on the examples `indices` (batch number `batch` of the epoch's cut, stable across epochs
 * with shuffle "batches"): the batch's mean loss and its number of correct answers.
 */
export type TrainStep = (
  indices: number[],
  optimizer: DecayingAdam,
  rng: Rng,
  batch: number,
) => Promise<{ loss: number; hits: number }>;

export type Validate = () => Promise<{ val_loss: number; val_accuracy: number }>;

export async function runEpochs(
  count: number,
  options: EpochOptions,
  step: TrainStep,
  validate?: Validate,
): Promise<EpochRecord[]> {
  if (count === 0) throw new Error("no training examples");
  const epochs = options.epochs ?? 15;
  const batchSize = options.batchSize ?? 8;
  const learningRate = options.learningRate ?? 1e-3;
  const optimizer = new DecayingAdam(learningRate, options.decay ?? learningRate / epochs);
  const rng = createRng(options.seed ?? 42);
  const history: EpochRecord[] = [];
  try {
    const cut = (order: number[]) =>
      Array.from({ length: Math.ceil(order.length / batchSize) }, (_, b) =>
        order.slice(b * batchSize, (b + 1) * batchSize),
      );
    const permutation = () =>
      shuffled(
        Array.from({ length: count }, (_, i) => i),
        rng,
      );
    const fixed = options.shuffle === "batches" ? cut(permutation()) : undefined;
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const started = performance.now();
      const batches = fixed ?? cut(permutation());
      const visits = fixed
        ? shuffled(
            fixed.map((_, b) => b),
            rng,
          )
        : batches.map((_, b) => b);
      let lossSum = 0;
      let correct = 0;
      for (const b of visits) {
        const indices = batches[b] as number[];
        optimizer.nextRate();
        const { loss, hits } = await step(indices, optimizer, rng, b);
        lossSum += loss * indices.length;
        correct += hits;
      }
      const record: EpochRecord = {
        epoch,
        loss: lossSum / count,
        accuracy: correct / count,
        val_loss: null,
        val_accuracy: null,
        learning_rate: optimizer.currentRate,
        seconds: 0,
      };
      if (validate) Object.assign(record, await validate());
      record.seconds = (performance.now() - started) / 1000;
      history.push(record);
      options.onEpoch?.(record);
    }
  } finally {
    optimizer.dispose();
  }
  return history;
}
