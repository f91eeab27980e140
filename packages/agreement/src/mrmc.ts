// Multi-reader multi-case (MRMC) ROC analysis of a reader study with two modalities (unaided, aided), every
// reader reading every case in both: the Obuchowski-Rockette (1995) model with Hillis' (2008) denominator
// degrees of freedom, random readers and random cases. Each reader's AUC per modality is the Wilcoxon
// (trapezoid) estimate; the error covariances Cov1..Cov3 come from the case jackknife, as in OR-DBM MRMC and
// RJafroc. Checked against OR-DBM MRMC's output for the Van Dyke data set (test/mrmc.test.ts).
import { Z95, type Interval } from "./kappa";
import type { BinaryAgreement } from "./reference";

export interface MrmcInput {
  /** truth[k]: case k is abnormal */
  truth: readonly boolean[];
  /**
   * ratings[m][r][k]: the rating reader r gave case k in modality m (0 unaided, 1 aided); a higher rating means
   * more confidence that the case is abnormal.
   */
  ratings: readonly [readonly (readonly number[])[], readonly (readonly number[])[]];
  /** a rating at or above it counts as a positive read, for sensitivity and specificity */
  threshold: number;
}

/** a reader's (or all readers') counts at the threshold: the counts and rates of a reference comparison */
export type OperatingPoint = Omit<BinaryAgreement, "label" | "kappa">;

export interface ModalityResult {
  /** AUC of each reader */
  auc: number[];
  /** mean over readers */
  meanAuc: number;
  /** OR single-modality interval (Hillis 2007 ddf_H_single), random readers and cases */
  se: number;
  df: number;
  ci: Interval;
  /** each reader at the threshold */
  perReader: OperatingPoint[];
  /** every reader's reads together */
  pooled: OperatingPoint;
}

export interface MrmcResult {
  readers: number;
  normal: number;
  abnormal: number;
  unaided: ModalityResult;
  aided: ModalityResult;
  /** mean AUC aided minus mean AUC unaided */
  difference: number;
  se: number;
  /** Hillis (2008) denominator degrees of freedom */
  ddf: number;
  /** F(1, ddf) statistic (the square of difference / se) */
  f: number;
  p: number;
  ci: Interval;
  /** the OR ANOVA and the jackknife error (co)variances, as OR-DBM MRMC prints them */
  components: {
    msT: number;
    msR: number;
    msTR: number;
    varError: number;
    /** same reader, different modality */
    cov1: number;
    /** different reader, same modality */
    cov2: number;
    /** different reader, different modality */
    cov3: number;
  };
}

/** Obuchowski-Rockette MRMC analysis of unaided vs aided reads (see the head of this file). */
export function mrmcAnalysis(input: MrmcInput): MrmcResult {
  const { truth, ratings, threshold } = input;
  const K = truth.length;
  const normal = truth.filter((t) => !t).length;
  const abnormal = K - normal;
  if (normal < 2 || abnormal < 2)
    throw new Error("an MRMC analysis needs at least two normal and two abnormal cases");
  const R = ratings[0].length;
  if (R < 2) throw new Error("an MRMC analysis needs at least two readers");
  if (ratings[1].length !== R)
    throw new Error(`${R} readers read unaided but ${ratings[1].length} aided: every reader must read both`);
  ratings.forEach((modality, m) =>
    modality.forEach((reads, r) => {
      if (reads.length !== K)
        throw new Error(
          `reader ${r + 1} has ${reads.length} ratings in modality ${m}, not one for each of ${K} cases`,
        );
      if (reads.some((x) => !Number.isFinite(x)))
        throw new Error(`reader ${r + 1} has a rating that is not a number`);
    }),
  );
  if (!Number.isFinite(threshold)) throw new Error("the operating point's threshold must be a number");

  // per (modality, reader): the AUC and its K leave-one-case-out AUCs
  const fits = ratings.map((modality) => modality.map((reads) => jackknifeAuc(reads, truth)));
  const auc = fits.map((modality) => modality.map((f) => f.auc));

  // jackknife covariance of two (modality, reader) AUCs: (K-1)/K * sum of products of deviations
  const cov = (m1: number, r1: number, m2: number, r2: number) => {
    const a = fits[m1]![r1]!;
    const b = fits[m2]![r2]!;
    let s = 0;
    for (let k = 0; k < K; k++) s += (a.loo[k]! - a.looMean) * (b.loo[k]! - b.looMean);
    return ((K - 1) / K) * s;
  };
  // each error (co)variance is the mean over its kind of pairs; Cov2 also per modality, for its own interval
  type Acc = { sum: number; n: number };
  const acc = (): Acc => ({ sum: 0, n: 0 });
  const sums = { varError: acc(), cov1: acc(), cov2: acc(), cov3: acc() };
  const cov2PerModality = [acc(), acc()];
  const add = (a: Acc, c: number) => {
    a.sum += c;
    a.n += 1;
  };
  for (let m1 = 0; m1 < 2; m1++)
    for (let r1 = 0; r1 < R; r1++)
      for (let m2 = 0; m2 < 2; m2++)
        for (let r2 = 0; r2 < R; r2++) {
          const c = cov(m1, r1, m2, r2);
          const key = r1 === r2 ? (m1 === m2 ? "varError" : "cov1") : m1 === m2 ? "cov2" : "cov3";
          add(sums[key], c);
          if (key === "cov2") add(cov2PerModality[m1]!, c);
        }
  const mean = (a: Acc) => a.sum / a.n;
  const varError = mean(sums.varError);
  const cov1 = mean(sums.cov1);
  const cov2 = mean(sums.cov2);
  const cov3 = mean(sums.cov3);

  // two-way modality x reader ANOVA of the AUCs
  const modalityMean = auc.map(average);
  const readerMean = Array.from({ length: R }, (_, r) => (auc[0]![r]! + auc[1]![r]!) / 2);
  const grand = average(modalityMean);
  const msT = R * modalityMean.reduce((s, x) => s + (x - grand) ** 2, 0);
  const msR = (2 * readerMean.reduce((s, x) => s + (x - grand) ** 2, 0)) / (R - 1);
  let ssTR = 0;
  for (let m = 0; m < 2; m++)
    for (let r = 0; r < R; r++) ssTR += (auc[m]![r]! - modalityMean[m]! - readerMean[r]! + grand) ** 2;
  const msTR = ssTR / (R - 1);

  // Hillis (2008): the denominator MS(T*R) + r max(Cov2 - Cov3, 0), its ddf by Satterthwaite
  const denominator = msTR + R * Math.max(cov2 - cov3, 0);
  const ddf = denominator ** 2 / (msTR ** 2 / (R - 1));
  const difference = modalityMean[1]! - modalityMean[0]!;
  const se = Math.sqrt((2 / R) * denominator);
  const f = msT / denominator;
  const p = 2 * studentTUpper(Math.abs(difference) / se, ddf);
  const half = studentTQuantile975(ddf) * se;

  const modality = (m: number): ModalityResult => {
    const reads = auc[m]!;
    const meanAuc = modalityMean[m]!;
    const msRm = reads.reduce((s, x) => s + (x - meanAuc) ** 2, 0) / (R - 1);
    const d = msRm + R * Math.max(mean(cov2PerModality[m]!), 0);
    const df = d ** 2 / (msRm ** 2 / (R - 1));
    const seM = Math.sqrt(d / R);
    const h = studentTQuantile975(df) * seM;
    const perReader = ratings[m]!.map((x) => operatingPoint([x], truth, threshold));
    return {
      auc: reads,
      meanAuc,
      se: seM,
      df,
      ci: { lower: meanAuc - h, upper: meanAuc + h },
      perReader,
      pooled: operatingPoint(ratings[m]!, truth, threshold),
    };
  };

  return {
    readers: R,
    normal,
    abnormal,
    unaided: modality(0),
    aided: modality(1),
    difference,
    se,
    ddf,
    f,
    p,
    ci: { lower: difference - half, upper: difference + half },
    components: { msT, msR, msTR, varError, cov1, cov2, cov3 },
  };
}

const average = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/**
 * Wilcoxon AUC (ties count a half) of one reader in one modality, and the K AUCs with one case left out.
 * Leaving a case out removes its row (normal) or column (abnormal) from the comparison table, so each
 * leave-one-out AUC is a subtraction, not a new count.
 */
export function jackknifeAuc(
  reads: readonly number[],
  truth: readonly boolean[],
): { auc: number; loo: number[]; looMean: number } {
  const normalIdx: number[] = [];
  const abnormalIdx: number[] = [];
  truth.forEach((t, k) => (t ? abnormalIdx : normalIdx).push(k));
  const n0 = normalIdx.length;
  const n1 = abnormalIdx.length;
  const byCase = new Array<number>(truth.length).fill(0);
  let total = 0;
  for (const i of normalIdx)
    for (const j of abnormalIdx) {
      const x = reads[i]!;
      const y = reads[j]!;
      const psi = y > x ? 1 : y === x ? 0.5 : 0;
      byCase[i] = byCase[i]! + psi;
      byCase[j] = byCase[j]! + psi;
      total += psi;
    }
  const loo = truth.map((t, k) => (total - byCase[k]!) / (t ? n0 * (n1 - 1) : (n0 - 1) * n1));
  return { auc: total / (n0 * n1), loo, looMean: average(loo) };
}

/** Sensitivity and specificity of the reads of one or more readers (each reads every case) at a threshold. */
function operatingPoint(
  readers: readonly (readonly number[])[],
  truth: readonly boolean[],
  threshold: number,
): OperatingPoint {
  let tp = 0;
  let fn = 0;
  let fp = 0;
  let tn = 0;
  for (const reads of readers)
    reads.forEach((x, k) => {
      const positive = x >= threshold;
      if (truth[k]) {
        if (positive) tp++;
        else fn++;
      } else if (positive) fp++;
      else tn++;
    });
  return { tp, fn, fp, tn, sensitivity: tp / (tp + fn), specificity: tn / (tn + fp) };
}

// --- Student's t with real degrees of freedom (Hillis' ddf is not an integer) ---

/** P(T > t) for t >= 0: half the regularized incomplete beta I_{df/(df+t^2)}(df/2, 1/2). */
export function studentTUpper(t: number, df: number): number {
  if (!(df > 0)) return Number.NaN;
  // Hillis' ddf is infinite when MS(T*R) is 0 (readers differ by the same amount): t(inf) is the normal
  if (df === Number.POSITIVE_INFINITY) return normalUpper(t);
  return 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** P(Z > z) for z >= 0 by the complementary error function (Numerical Recipes' erfcc, relative error < 1.2e-7). */
function normalUpper(z: number): number {
  const x = z / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const poly =
    -x * x -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return 0.5 * t * Math.exp(poly);
}

/** The 0.975 quantile of t(df), by bisection on the upper tail (monotone, so it cannot miss). */
export function studentTQuantile975(df: number): number {
  if (!(df > 0)) return Number.NaN;
  if (df === Number.POSITIVE_INFINITY) return Z95;
  let lo = 0;
  let hi = 1e3;
  for (let i = 0; i < 200 && hi - lo > 1e-12; i++) {
    const mid = (lo + hi) / 2;
    if (studentTUpper(mid, df) > 0.025) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Regularized incomplete beta I_x(a, b) by its continued fraction (Numerical Recipes 6.4, Lentz). */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // the fraction converges fast only below the mean; above it use the symmetry I_x(a,b) = 1 - I_{1-x}(b,a)
  if (x > (a + 1) / (a + b + 2)) return 1 - (front * betaFraction(1 - x, b, a)) / b;
  return (front * betaFraction(x, a, b)) / a;
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    for (const aa of [
      (m * (b - m) * x) / ((a + m2 - 1) * (a + m2)),
      (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1)),
    ]) {
      d = 1 + aa * d;
      if (Math.abs(d) < tiny) d = tiny;
      c = 1 + aa / c;
      if (Math.abs(c) < tiny) c = tiny;
      d = 1 / d;
      h *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-15) break;
  }
  return h;
}

/** ln Gamma(z) for z > 0 (Lanczos, g = 7, nine coefficients: about 15 significant digits). */
function logGamma(z: number): number {
  const g = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - logGamma(1 - z);
  const x = z - 1;
  let s = g[0]!;
  for (let i = 1; i < 9; i++) s += g[i]! / (x + i);
  const t = x + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(s);
}
