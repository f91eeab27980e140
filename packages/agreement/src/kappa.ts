// Chance-corrected agreement between readers on categorical labels.
// Cohen's kappa (two readers): the 95% CI uses Cohen's (1960) large-sample standard error,
//   SE = sqrt(po (1 - po) / (n (1 - pe)^2)).
// Fleiss' kappa (any number of readers, the same number per subject): Fleiss (1971), overall and per category;
// its 95% CI is a percentile bootstrap over subjects (seeded, so a figure is reproducible), because Fleiss'
// analytic SE (Fleiss, Nee & Landis 1979) holds only under the null hypothesis of no agreement.

/** A 95% interval (the normal quantile 1.959964). */
export const Z95 = 1.959963984540054;

export interface Interval {
  lower: number;
  upper: number;
}

export interface CohenResult {
  kappa: number;
  /** observed agreement */
  po: number;
  /** agreement expected by chance from the two readers' marginals */
  pe: number;
  n: number;
  se: number;
  ci: Interval;
}

/**
 * Cohen's kappa of two readers' labels of the same n subjects (labels[i] of each reader for subject i).
 * NaN kappa when chance agreement is total (both readers always give one and the same label).
 */
export function cohenKappa(a: readonly string[], b: readonly string[]): CohenResult {
  if (a.length !== b.length) throw new Error(`the readers labelled ${a.length} and ${b.length} subjects`);
  const n = a.length;
  if (n === 0) throw new Error("Cohen's kappa needs at least one subject");
  const countA = new Map<string, number>();
  const countB = new Map<string, number>();
  let agree = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) agree++;
    countA.set(x, (countA.get(x) ?? 0) + 1);
    countB.set(y, (countB.get(y) ?? 0) + 1);
  }
  const po = agree / n;
  let pe = 0;
  for (const [label, ca] of countA) pe += (ca / n) * ((countB.get(label) ?? 0) / n);
  const kappa = (po - pe) / (1 - pe);
  const se = Math.sqrt((po * (1 - po)) / (n * (1 - pe) ** 2));
  // kappa lies in [-1, 1]: a normal interval wider than that is cut at the bounds
  const ci = { lower: Math.max(-1, kappa - Z95 * se), upper: Math.min(1, kappa + Z95 * se) };
  return { kappa, po, pe, n, se, ci };
}

/** Cohen's kappa of one class against the rest (both readers' labels turned into "is it this class"). */
export function cohenKappaForClass(a: readonly string[], b: readonly string[], label: string): CohenResult {
  const yes = (l: string) => (l === label ? "1" : "0");
  return cohenKappa(a.map(yes), b.map(yes));
}

export interface FleissResult {
  kappa: number;
  /** mean observed agreement per subject (P-bar) */
  pBar: number;
  /** agreement expected by chance (P-bar-e) */
  peBar: number;
  /** share of all ratings in each category, in the order of `categories` */
  p: number[];
  /** kappa of each category (Fleiss 1971, eq. 13); NaN for a category nobody used */
  perCategory: number[];
  subjects: number;
  raters: number;
  /** percentile bootstrap over subjects */
  ci: Interval;
}

/**
 * Fleiss' kappa of a subjects x categories table of counts: counts[i][j] is how many raters put subject i in
 * category j; every subject has the same number of raters (at least two).
 */
export function fleissKappa(
  counts: readonly (readonly number[])[],
  opts: { bootstrap?: number; seed?: number } = {},
): FleissResult {
  const point = fleissPoint(counts);
  const replicates = opts.bootstrap ?? 1000;
  const random = seededRandom(opts.seed ?? 1971);
  const draws: number[] = [];
  for (let r = 0; r < replicates; r++) {
    const sample = counts.map(() => counts[Math.floor(random() * counts.length)]!);
    const k = fleissPoint(sample).kappa;
    if (Number.isFinite(k)) draws.push(k);
  }
  draws.sort((x, y) => x - y);
  const ci =
    draws.length > 0
      ? { lower: quantile(draws, 0.025), upper: quantile(draws, 0.975) }
      : { lower: Number.NaN, upper: Number.NaN };
  return { ...point, ci };
}

function fleissPoint(counts: readonly (readonly number[])[]): Omit<FleissResult, "ci"> {
  const N = counts.length;
  if (N === 0) throw new Error("Fleiss' kappa needs at least one subject");
  const k = counts[0]!.length;
  const n = counts[0]!.reduce((s, v) => s + v, 0);
  if (n < 2) throw new Error("Fleiss' kappa needs at least two raters per subject");
  const totals = new Array<number>(k).fill(0);
  const disagreement = new Array<number>(k).fill(0);
  let sumP = 0;
  for (const row of counts) {
    if (row.length !== k) throw new Error("every subject needs a count for every category");
    const raters = row.reduce((s, v) => s + v, 0);
    if (raters !== n) throw new Error(`every subject needs ${n} ratings, one has ${raters}`);
    let agree = 0;
    row.forEach((x, j) => {
      totals[j] = totals[j]! + x;
      disagreement[j] = disagreement[j]! + x * (n - x);
      agree += x * (x - 1);
    });
    sumP += agree / (n * (n - 1));
  }
  const p = totals.map((t) => t / (N * n));
  const pBar = sumP / N;
  const peBar = p.reduce((s, pj) => s + pj * pj, 0);
  const perCategory = p.map((pj, j) =>
    pj === 0 || pj === 1 ? Number.NaN : 1 - disagreement[j]! / (N * n * (n - 1) * pj * (1 - pj)),
  );
  return { kappa: (pBar - peBar) / (1 - peBar), pBar, peBar, p, perCategory, subjects: N, raters: n };
}

/** Linear interpolation between order statistics (type 7, R's default) of sorted values. */
export function quantile(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** A small seeded PRNG (xorshift32): the bootstrap gives the same interval for the same data. */
export function seededRandom(seed: number): () => number {
  // xorshift has one fixed point, zero: any other state cycles through every 32-bit value but zero
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}
