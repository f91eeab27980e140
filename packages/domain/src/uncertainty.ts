// How unsure a prediction is, from its class probabilities: the scores active learning orders the reading
// queue by. Higher means "read this first" for every score except `margin` (top-1 minus top-2: small is
// unsure). Natural logarithms. Pure functions, shared by ml (scoring), db (queue priorities) and web.

export function entropy(p: ArrayLike<number>): number {
  let h = 0;
  for (let i = 0; i < p.length; i++) {
    const v = p[i] ?? 0;
    if (v > 0) h -= v * Math.log(v);
  }
  return h;
}

export function margin(p: ArrayLike<number>): number {
  let first = -Infinity;
  let second = -Infinity;
  for (let i = 0; i < p.length; i++) {
    const v = p[i] ?? 0;
    if (v > first) [first, second] = [v, first];
    else if (v > second) second = v;
  }
  return p.length < 2 ? 1 : first - second;
}

export function leastConfidence(p: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < p.length; i++) max = Math.max(max, p[i] ?? 0);
  return 1 - max;
}

/**
 * BALD (Houlsby et al.; Gal et al. 2017) from Monte-Carlo samples of one image's probabilities:
 * mutual information = H(mean prediction) - mean H(prediction), the disagreement between dropout masks.
 */
export function bald(samples: readonly ArrayLike<number>[]): number {
  if (samples.length === 0) return 0;
  const k = samples[0]?.length ?? 0;
  const mean = new Array<number>(k).fill(0);
  let meanEntropy = 0;
  for (const s of samples) {
    for (let c = 0; c < k; c++) mean[c] = (mean[c] ?? 0) + (s[c] ?? 0) / samples.length;
    meanEntropy += entropy(s) / samples.length;
  }
  return Math.max(0, entropy(mean) - meanEntropy);
}

/** Entropy of a committee's votes (any labels): 0 when all agree, highest when split evenly. */
export function voteEntropy(votes: readonly (string | number)[]): number {
  if (votes.length === 0) return 0;
  const counts = new Map<string | number, number>();
  for (const v of votes) counts.set(v, (counts.get(v) ?? 0) + 1);
  return entropy([...counts.values()].map((c) => c / votes.length));
}

/** The class each member's probabilities favour (the first on a tie). */
export function argmax(p: ArrayLike<number>): number {
  let best = 0;
  for (let c = 1; c < p.length; c++) if ((p[c] ?? 0) > (p[best] ?? 0)) best = c;
  return best;
}

/**
 * How evenly a prediction is split between the two most probable of the critical classes (pneumonia and
 * COVID-19): 2 x the smaller of the two, so 1 for an even split and 0 for no doubt between them.
 */
export function criticalConfusion(p: ArrayLike<number>, criticalIndexes: readonly number[]): number {
  const critical = criticalIndexes.map((i) => p[i] ?? 0).sort((a, b) => b - a);
  return critical.length >= 2 ? 2 * Math.min(critical[0] ?? 0, critical[1] ?? 0) : 0;
}
