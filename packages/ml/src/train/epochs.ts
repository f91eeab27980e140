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
}

/** One optimisation step on the examples `indices`: the batch's mean loss and its number of correct answers. */
export type TrainStep = (
  indices: number[],
  optimizer: DecayingAdam,
  rng: Rng,
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
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const started = performance.now();
      const order = shuffled(
        Array.from({ length: count }, (_, i) => i),
        rng,
      );
      let lossSum = 0;
      let correct = 0;
      for (let start = 0; start < order.length; start += batchSize) {
        const indices = order.slice(start, start + batchSize);
        optimizer.nextRate();
        const { loss, hits } = await step(indices, optimizer, rng);
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
