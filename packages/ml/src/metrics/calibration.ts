// Expected calibration error (Guo et al. 2017): confidence = top probability, equal-width bins (lo, hi],
// ECE = sum over bins of (bin size / n) * |accuracy in bin - mean confidence in bin|.
import { argmax } from "./confusion";

export function expectedCalibrationError(
  probs: readonly (readonly number[])[],
  yTrue: readonly number[],
  bins = 15,
): number {
  const n = probs.length;
  if (n === 0) return 0;
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
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    const m = count[b] ?? 0;
    if (m > 0) ece += (m / n) * Math.abs((hits[b] ?? 0) / m - (conf[b] ?? 0) / m);
  }
  return ece;
}
