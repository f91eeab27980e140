// The points behind the figures a model's page plots: one-vs-rest ROC and precision-recall curves per class,
// and the reliability diagram whose weighted gaps sum to the ECE. Kept to at most `maxPoints` per curve so a
// model version's stored metrics stay small whatever the size of the test set.
import { argmax } from "./confusion";

export interface RocPoint {
  fpr: number;
  tpr: number;
}
export interface PrPoint {
  recall: number;
  precision: number;
}
export interface ReliabilityBin {
  /** upper edge of the confidence bin (lower edge: the previous bin's) */
  upper: number;
  count: number;
  /** mean top-class probability in the bin (null when empty) */
  confidence: number | null;
  /** share of the bin's predictions that were right (null when empty) */
  accuracy: number | null;
}

/** Thresholds at every distinct score, highest first: one point per threshold, starting at (0, 0). */
function sweep(scores: readonly number[], positive: readonly boolean[]) {
  const order = scores.map((_, i) => i).sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0));
  const nPos = positive.filter(Boolean).length;
  const steps: { tp: number; fp: number }[] = [];
  let tp = 0;
  let fp = 0;
  order.forEach((i, rank) => {
    if (positive[i]) tp++;
    else fp++;
    const next = order[rank + 1];
    // ties move together: a threshold cannot separate equal scores
    if (next === undefined || scores[next] !== scores[i]) steps.push({ tp, fp });
  });
  return { steps, nPos, nNeg: scores.length - nPos };
}

function thin<T>(points: T[], maxPoints: number): T[] {
  if (points.length <= maxPoints) return points;
  const stride = (points.length - 1) / (maxPoints - 1);
  return Array.from({ length: maxPoints }, (_, i) => points[Math.round(i * stride)] as T);
}

/** ROC curve of one class against the rest; empty when either side has no examples. */
export function rocCurve(
  scores: readonly number[],
  positive: readonly boolean[],
  maxPoints = 101,
): RocPoint[] {
  const { steps, nPos, nNeg } = sweep(scores, positive);
  if (nPos === 0 || nNeg === 0) return [];
  return thin([{ fpr: 0, tpr: 0 }, ...steps.map((s) => ({ fpr: s.fp / nNeg, tpr: s.tp / nPos }))], maxPoints);
}

/** Precision-recall curve of one class against the rest; empty without positives. */
export function prCurve(scores: readonly number[], positive: readonly boolean[], maxPoints = 101): PrPoint[] {
  const { steps, nPos } = sweep(scores, positive);
  if (nPos === 0) return [];
  return thin(
    steps.map((s) => ({ recall: s.tp / nPos, precision: s.tp / (s.tp + s.fp) })),
    maxPoints,
  );
}

/** Per-class curves of a multi-class prediction, one-vs-rest, keyed by class name. */
export function classCurves(
  probs: readonly (readonly number[])[],
  yTrue: readonly number[],
  classes: readonly string[],
) {
  const roc: Record<string, RocPoint[]> = {};
  const pr: Record<string, PrPoint[]> = {};
  classes.forEach((name, k) => {
    const scores = probs.map((p) => p[k] ?? 0);
    const positive = yTrue.map((y) => y === k);
    roc[name] = rocCurve(scores, positive);
    pr[name] = prCurve(scores, positive);
  });
  return { roc, pr };
}

/** Equal-width bins (lo, hi] of the top probability, as the ECE uses them. */
export function reliabilityBins(
  probs: readonly (readonly number[])[],
  yTrue: readonly number[],
  bins = 15,
): ReliabilityBin[] {
  const count = new Array<number>(bins).fill(0);
  const conf = new Array<number>(bins).fill(0);
  const hits = new Array<number>(bins).fill(0);
  probs.forEach((p, i) => {
    const k = argmax(p);
    const c = p[k] ?? 0;
    const b = Math.min(bins - 1, Math.max(0, Math.ceil(c * bins) - 1));
    count[b] = (count[b] ?? 0) + 1;
    conf[b] = (conf[b] ?? 0) + c;
    if (k === yTrue[i]) hits[b] = (hits[b] ?? 0) + 1;
  });
  return count.map((m, b) => ({
    upper: (b + 1) / bins,
    count: m,
    confidence: m > 0 ? (conf[b] ?? 0) / m : null,
    accuracy: m > 0 ? (hits[b] ?? 0) / m : null,
  }));
}
