// Expected calibration error (Guo et al. 2017): confidence = top probability, equal-width bins (lo, hi],
// ECE = sum over bins of (bin size / n) * |accuracy in bin - mean confidence in bin|.
import { reliabilityBins } from "./curves";

export function expectedCalibrationError(
  probs: readonly (readonly number[])[],
  yTrue: readonly number[],
  bins = 15,
): number {
  const n = probs.length;
  if (n === 0) return 0;
  return reliabilityBins(probs, yTrue, bins).reduce(
    (ece, b) => ece + (b.count / n) * Math.abs((b.accuracy ?? 0) - (b.confidence ?? 0)),
    0,
  );
}
