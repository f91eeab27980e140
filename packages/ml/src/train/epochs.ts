// The epoch loop both trainers share (full training on images, head retraining on embeddings): shuffled (or
// class-balanced) mini-batches, Adam with a learning-rate schedule, one history record per epoch with its validation
// figures, and optionally the best epoch kept (by validation loss) with early stopping.
import { createRng, type Rng, shuffled } from "../rng";
import { type EpochRecord } from "./history";
import { DecayingAdam, type Schedule } from "./optimizer";

/** Saves the trained weights and puts saved ones back: how the loop keeps its best epoch. */
export interface Checkpoint {
  save(): void;
  restore(): void;
  dispose(): void;
}

export interface EpochOptions {
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** Keras-style time decay per iteration; default learningRate / epochs, as the report */
  decay?: number;
  /** default "time-decay" (the report's); "cosine" over the run's steps; "plateau" halves the rate on a plateau */
  schedule?: Schedule;
  /** epochs without a lower validation loss before training stops; default: never stops early */
  patience?: number;
  /** with validation: the weights of the epoch with the lowest validation loss are restored at the end */
  checkpoint?: Checkpoint;
  /**
   * the examples' classes: where they are uneven (the largest class over 1.25 times the smallest), each epoch draws
   * the classes equally often (the big ones' examples in turn over the epochs), so a minority class is not outvoted
   */
  balanceLabels?: readonly number[];
  seed?: number;
  /** called after each epoch (progress) */
  onEpoch?: (record: EpochRecord) => void;
  /** called after each batch (progress within an epoch: a long epoch shows its steps and an ETA) */
  onStep?: (progress: StepProgress) => void;
  /**
   * "examples" (default): a new permutation of the examples every epoch. "batches" (Keras' shuffle="batch"): the
   * examples are permuted once into fixed batches, and every epoch visits the batches in a new order, so a trainer
   * can keep each batch's tensors for the whole run.
   */
  shuffle?: "examples" | "batches";
}

/** A batch done: `step` of the epoch's `stepsPerEpoch` (both 1-based counts), in epoch `epoch`. */
export interface StepProgress {
  epoch: number;
  step: number;
  stepsPerEpoch: number;
}

/** a plateau schedule halves the rate after this many epochs without a lower validation loss */
const plateauEpochs = 2;
/** an improvement of the validation loss smaller than this share of it does not count */
const minImprovement = 1e-3;

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

/**
 * An epoch's example order drawn class-balanced, or undefined where the classes are even enough (or only one):
 * every class fills an equal share of the epoch, cycling through its own examples in a shuffled order.
 */
export function balancedOrder(labels: readonly number[], rng: Rng): (() => number[]) | undefined {
  const byClass = new Map<number, number[]>();
  labels.forEach((label, i) => {
    const group = byClass.get(label);
    if (group) group.push(i);
    else byClass.set(label, [i]);
  });
  const groups = [...byClass.values()];
  const sizes = groups.map((g) => g.length);
  if (groups.length < 2 || Math.max(...sizes) <= 1.25 * Math.min(...sizes)) return undefined;
  const queues = groups.map((items) => ({ items, left: [] as number[] }));
  return () => {
    const per = labels.length / groups.length;
    const picks: number[] = [];
    // rounded cumulatively, so the shares add up to the epoch's size
    queues.forEach((q, k) => {
      const n = Math.round((k + 1) * per) - Math.round(k * per);
      for (let i = 0; i < n; i++) {
        if (q.left.length === 0) q.left = shuffled(q.items, rng);
        picks.push(q.left.pop() as number);
      }
    });
    return shuffled(picks, rng);
  };
}

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
  const schedule = options.schedule ?? "time-decay";
  const optimizer = new DecayingAdam(
    learningRate,
    schedule === "cosine" ? 0 : (options.decay ?? learningRate / epochs),
    schedule === "cosine" ? epochs * Math.ceil(count / batchSize) : undefined,
  );
  const rng = createRng(options.seed ?? 42);
  const checkpoint = validate ? options.checkpoint : undefined;
  const history: EpochRecord[] = [];
  try {
    const cut = (order: number[]) =>
      Array.from({ length: Math.ceil(order.length / batchSize) }, (_, b) =>
        order.slice(b * batchSize, (b + 1) * batchSize),
      );
    const balanced =
      options.shuffle !== "batches" && options.balanceLabels
        ? balancedOrder(options.balanceLabels, rng)
        : undefined;
    const permutation =
      balanced ??
      (() =>
        shuffled(
          Array.from({ length: count }, (_, i) => i),
          rng,
        ));
    const fixed = options.shuffle === "batches" ? cut(permutation()) : undefined;
    let best = Infinity;
    let bestEpoch = 0;
    let stale = 0;
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
      let seen = 0;
      for (const [done, b] of visits.entries()) {
        const indices = batches[b] as number[];
        optimizer.nextRate();
        const { loss, hits } = await step(indices, optimizer, rng, b);
        lossSum += loss * indices.length;
        correct += hits;
        seen += indices.length;
        options.onStep?.({ epoch, step: done + 1, stepsPerEpoch: visits.length });
      }
      const record: EpochRecord = {
        epoch,
        loss: lossSum / seen,
        accuracy: correct / seen,
        val_loss: null,
        val_accuracy: null,
        learning_rate: optimizer.currentRate,
        seconds: 0,
      };
      if (validate) Object.assign(record, await validate());
      if (record.val_loss !== null) {
        if (record.val_loss < best * (1 - minImprovement)) {
          best = record.val_loss;
          bestEpoch = epoch;
          stale = 0;
          checkpoint?.save();
        } else {
          stale++;
          if (schedule === "plateau" && stale % plateauEpochs === 0)
            optimizer.factor = Math.max(optimizer.factor / 2, 1 / 64);
        }
      }
      record.seconds = (performance.now() - started) / 1000;
      history.push(record);
      options.onEpoch?.(record);
      if (options.patience !== undefined && stale >= options.patience) break;
    }
    if (checkpoint && bestEpoch > 0 && bestEpoch < history.length) checkpoint.restore();
  } finally {
    optimizer.dispose();
    checkpoint?.dispose();
  }
  return history;
}
