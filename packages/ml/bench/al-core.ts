// The active-learning loop of bench:al, without the phantoms and the backbone: simulated readers answer from the
// ground truth with a set error rate, each round labels K images chosen by a strategy, then a new head is trained
// on the cached embeddings of everything labelled so far and measured on a held-out test set. The strategies are
// the platform's own functions (@cxr/domain: entropy, margin, batchPriorities), so the benchmark measures what the
// campaign queue does.
import {
  batchPriorities,
  camOutsideShare,
  entropy,
  margin,
  nearestNeighbours as nearest,
  unionMask,
  type BatchImage,
  type BatchStrategy,
  type StrategyWeights,
} from "@cxr/domain";
import { createRng, type Rng } from "../src/rng";

export const alStrategies = ["random", "entropy", "margin", "diversity", "cam_roi", "mix"] as const;
export type AlStrategy = (typeof alStrategies)[number];

/** The mix the benchmark runs: equal weights on uncertainty, coverage and the CAM-ROI disagreement. */
export const benchMixWeights: StrategyWeights = { ENTROPY: 1, DIVERSITY: 1, CAM_ROI_DISAGREEMENT: 1 };

/** The unlabelled pool: cached embeddings, ground truth and, for CAM-ROI, each image's map and lesion mask. */
export interface Pool {
  size: number;
  /** row-major [count, size] */
  x: Float32Array;
  truth: readonly number[];
  /** Grad-CAM per image (any fixed grid), and the region a reader draws on it once it is labelled (same grid) */
  cams?: readonly Float32Array[];
  masks?: readonly Uint8Array[];
}

export interface TestSet {
  x: Float32Array;
  truth: readonly number[];
}

/** Trains a head on labelled embeddings; returns its class probabilities for any embeddings. */
export type HeadTrainer = (
  train: { x: Float32Array; labels: readonly number[] },
  seed: number,
) => Promise<(x: Float32Array) => Promise<number[][]>>;

export interface LoopOptions {
  strategy: AlStrategy;
  classes: number;
  /** labels at the start (random, the same for every strategy of a seed) */
  initial: number;
  /** labels per round */
  k: number;
  rounds: number;
  /** share of answers a simulated reader gets wrong (a uniformly drawn other class) */
  errorRate: number;
  seed: number;
  /** neighbours whose regions stand in for an unlabelled image's (CAM-ROI) */
  neighbours?: number;
}

export interface RoundResult {
  labels: number;
  accuracy: number;
  /** share of the labels so far that the simulated readers got wrong */
  noise: number;
}

/** The simulated readers' answers for every pool image: drawn once per seed, so all strategies hear the same. */
export function readerAnswers(truth: readonly number[], classes: number, errorRate: number, rng: Rng) {
  return truth.map((t) => {
    if (classes < 2 || rng.next() >= errorRate) return t;
    const other = rng.int(classes - 1);
    return other >= t ? other + 1 : other;
  });
}

const row = (x: Float32Array, size: number, i: number) => Array.from(x.subarray(i * size, (i + 1) * size));

function rows(x: Float32Array, size: number, idx: readonly number[]): Float32Array {
  const out = new Float32Array(idx.length * size);
  idx.forEach((i, j) => out.set(x.subarray(i * size, (i + 1) * size), j * size));
  return out;
}

/** The K unlabelled images the strategy reads next. */
export async function selectBatch(
  options: Pick<LoopOptions, "strategy" | "k" | "neighbours">,
  pool: Pool,
  labelled: readonly number[],
  probs: () => Promise<number[][]>,
  rng: Rng,
): Promise<number[]> {
  const done = new Set(labelled);
  const open = pool.truth.map((_, i) => i).filter((i) => !done.has(i));
  const top = (score: (i: number) => number) =>
    [...open].sort((a, b) => score(b) - score(a) || a - b).slice(0, options.k);
  switch (options.strategy) {
    case "random": {
      for (let i = open.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [open[i], open[j]] = [open[j]!, open[i]!];
      }
      return open.slice(0, options.k);
    }
    case "entropy": {
      const p = await probs();
      return top((i) => entropy(p[i]!));
    }
    case "margin": {
      const p = await probs();
      return top((i) => 1 - margin(p[i]!));
    }
    default: {
      const strategy: BatchStrategy =
        options.strategy === "diversity"
          ? "DIVERSITY"
          : options.strategy === "cam_roi"
            ? "CAM_ROI_DISAGREEMENT"
            : "WEIGHTED_MIX";
      const p = strategy === "WEIGHTED_MIX" ? await probs() : null;
      const camOutside = strategy === "DIVERSITY" ? null : camShares(pool, labelled, options.neighbours ?? 5);
      const images = pool.truth.map((_, i): BatchImage => ({
        inCampaign: done.has(i),
        embedding: row(pool.x, pool.size, i),
        camOutside: camOutside?.[i] ?? null,
        scores: p ? { ENTROPY: entropy(p[i]!) } : {},
      }));
      const priority = batchPriorities(strategy, images, benchMixWeights);
      return top((i) => priority[i]!);
    }
  }
}

/**
 * CAM-ROI disagreement of every unlabelled image: its map's share outside the union of the regions readers drew
 * on its nearest labelled neighbours by embedding (an unlabelled image has no regions of its own yet).
 */
export function camShares(pool: Pool, labelled: readonly number[], k: number): (number | null)[] {
  const { cams, masks } = pool;
  if (!cams || !masks) throw new Error("CAM-ROI needs the pool's maps and masks");
  const labelledRows = labelled.map((i) => row(pool.x, pool.size, i));
  const done = new Set(labelled);
  return pool.truth.map((_, i) => {
    if (done.has(i) || labelled.length === 0) return null;
    const near = nearest(row(pool.x, pool.size, i), labelledRows, k).map((j) => masks[labelled[j]!]!);
    return outsideShare(cams[i]!, near);
  });
}

const outsideShare = (cam: Float32Array, masks: readonly Uint8Array[]) =>
  camOutsideShare(cam, unionMask(masks, cam.length));

/** One strategy's loop over the rounds: accuracy on the test set after each retraining. */
export async function runLoop(
  options: LoopOptions,
  pool: Pool,
  test: TestSet,
  train: HeadTrainer,
): Promise<RoundResult[]> {
  // the seed alone decides the start and the answers, so every strategy of a seed starts alike
  const start = createRng(options.seed);
  const answers = readerAnswers(pool.truth, options.classes, options.errorRate, start);
  const order = pool.truth.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = start.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const labelled = order.slice(0, options.initial);
  const rng = createRng(options.seed + 7919);
  const results: RoundResult[] = [];
  for (let round = 0; ; round++) {
    const predictor = await train(
      { x: rows(pool.x, pool.size, labelled), labels: labelled.map((i) => answers[i]!) },
      options.seed + round,
    );
    const p = await predictor(test.x);
    const hits = p.filter((probs, i) => argmax(probs) === test.truth[i]).length;
    results.push({
      labels: labelled.length,
      accuracy: hits / test.truth.length,
      noise: labelled.filter((i) => answers[i] !== pool.truth[i]).length / labelled.length,
    });
    if (round === options.rounds || labelled.length >= pool.truth.length) return results;
    labelled.push(...(await selectBatch(options, pool, labelled, () => predictor(pool.x), rng)));
  }
}

const argmax = (p: readonly number[]) => p.reduce((best, v, i) => (v > p[best]! ? i : best), 0);

/** The fewest labels at which the (mean) curve reaches the target; null if it never does. */
export function labelsToTarget(curve: readonly RoundResult[], target: number): number | null {
  return curve.find((r) => r.accuracy >= target)?.labels ?? null;
}

/** The mean accuracy per round over seeds (every seed runs the same rounds). */
export function meanCurve(curves: readonly (readonly RoundResult[])[]): RoundResult[] {
  const first = curves[0] ?? [];
  return first.map((r, i) => ({
    labels: r.labels,
    accuracy: curves.reduce((s, c) => s + c[i]!.accuracy, 0) / curves.length,
    noise: curves.reduce((s, c) => s + c[i]!.noise, 0) / curves.length,
  }));
}
