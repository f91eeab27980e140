// The Obuchowski-Rockette MRMC analysis against OR-DBM MRMC 2.5's output for the Van Dyke data set
// (RJafroc, inst/obumrm2/VanDyke-traparea-jackknife-obuch-anova.txt: trapezoidal AUC, jackknife covariances,
// Analysis 1, random readers and random cases) and RJafroc's own p for it (inst/obumrm2/ObuRoc.R: 0.051665686).
// OR-DBM MRMC's treatment 1 is our unaided (modality 0), its treatment 2 our aided, and it prints 1 - 2: our
// difference (aided - unaided) has the opposite sign.
import { describe, expect, it } from "vitest";
import {
  mrmcAnalysis,
  studentTQuantile975,
  studentTUpper,
  type MrmcInput,
  type MrmcResult,
} from "../src/index";
import { VAN_DYKE_ABNORMAL, VAN_DYKE_NORMAL, VAN_DYKE_RATINGS } from "./fixtures/vanDyke";

const truth = [
  ...Array<boolean>(VAN_DYKE_NORMAL).fill(false),
  ...Array<boolean>(VAN_DYKE_ABNORMAL).fill(true),
];
const modality = (m: number) => VAN_DYKE_RATINGS[m]!.map((s) => [...s].map(Number));
const ratings: MrmcInput["ratings"] = [modality(0), modality(1)];
const vanDyke = (threshold = 3) => mrmcAnalysis({ truth, ratings, threshold });

/** the difference, its standard error and 95% CI as OR-DBM MRMC prints them (five decimals) */
const expectPrinted = (
  r: MrmcResult,
  want: { difference: number; se: number; lower: number; upper: number },
) => {
  expect(r.difference).toBeCloseTo(want.difference, 5);
  expect(r.se).toBeCloseTo(want.se, 5);
  expect(r.ci.lower).toBeCloseTo(want.lower, 5);
  expect(r.ci.upper).toBeCloseTo(want.upper, 5);
};

describe("Obuchowski-Rockette MRMC on the Van Dyke data set", () => {
  const r = vanDyke();

  it("has the published per-reader and mean AUCs", () => {
    expect(r.readers).toBe(5);
    expect([r.normal, r.abnormal]).toEqual([69, 45]);
    const unaided = [0.91964573, 0.85877617, 0.90386473, 0.97310789, 0.82979066];
    const aided = [0.94782609, 0.90531401, 0.92173913, 0.99935588, 0.92995169];
    r.unaided.auc.forEach((a, i) => expect(a).toBeCloseTo(unaided[i]!, 8));
    r.aided.auc.forEach((a, i) => expect(a).toBeCloseTo(aided[i]!, 8));
    expect(r.unaided.meanAuc).toBeCloseTo(0.89703704, 8);
    expect(r.aided.meanAuc).toBeCloseTo(0.94083736, 8);
    expect(r.difference).toBeCloseTo(0.04380032, 8);
  });

  it("has the published ANOVA mean squares and jackknife covariances", () => {
    const c = r.components;
    expect(c.msT).toBeCloseTo(0.00479617, 8);
    expect(c.msR).toBeCloseTo(0.0038362, 8);
    expect(c.msTR).toBeCloseTo(0.00055103, 8);
    expect(c.varError).toBeCloseTo(0.00080229, 8);
    expect(c.cov1).toBeCloseTo(0.00034661, 8);
    expect(c.cov2).toBeCloseTo(0.00034407, 8);
    expect(c.cov3).toBeCloseTo(0.00023903, 8);
  });

  it("has the published F, ddf, p, standard error and 95% CI of the difference", () => {
    expect(r.f).toBeCloseTo(4.46, 2);
    expect(r.ddf).toBeCloseTo(15.26, 2);
    expect(r.p).toBeCloseTo(0.051665686, 8);
    expectPrinted(r, { difference: 0.0438, se: 0.02075, lower: -0.00036, upper: 0.08796 });
  });

  it("has the published single-modality intervals", () => {
    expect(r.unaided.se).toBeCloseTo(0.0331736, 7);
    expect(r.unaided.df).toBeCloseTo(12.74, 2);
    expect(r.unaided.ci.lower).toBeCloseTo(0.8252236, 7);
    expect(r.unaided.ci.upper).toBeCloseTo(0.96885048, 7);
    expect(r.aided.se).toBeCloseTo(0.02156637, 7);
    expect(r.aided.df).toBeCloseTo(12.71, 2);
    expect(r.aided.ci.lower).toBeCloseTo(0.89413783, 7);
    expect(r.aided.ci.upper).toBeCloseTo(0.98753689, 7);
  });
});

describe("readers who all read alike", () => {
  it("has an infinite ddf and the single-reader z test OR-DBM MRMC prints for that reader", () => {
    // five copies of Van Dyke's reader 1: MS(T*R) = 0, so the analysis is reader 1's own (Analysis 2d:
    // difference 0.02818, StdErr 0.02551, p 0.2693, CI (-0.02182, 0.07818) in our sign)
    const copies = (m: 0 | 1) => Array.from({ length: 5 }, () => ratings[m][0]!);
    const r = mrmcAnalysis({ truth, ratings: [copies(0), copies(1)], threshold: 3 });
    expect(r.components.msTR).toBeCloseTo(0, 15);
    expect(r.ddf).toBe(Number.POSITIVE_INFINITY);
    expect(r.p).toBeCloseTo(0.2693, 4);
    expectPrinted(r, { difference: 0.02818, se: 0.02551, lower: -0.02182, upper: 0.07818 });
  });

  it("gives NaN, not a figure, when nothing varies (both modalities read the same)", () => {
    const same = Array.from({ length: 3 }, () => ratings[0][0]!);
    const r = mrmcAnalysis({ truth, ratings: [same, same], threshold: 3 });
    expect(r.difference).toBe(0);
    expect(r.p).toBeNaN();
    expect(r.ci.lower).toBeNaN();
  });
});

describe("sensitivity and specificity at an operating point", () => {
  it("counts a rating at or above the threshold as positive, per reader and pooled", () => {
    const r = vanDyke(4);
    // by hand from the fixture's first reader, unaided: abnormal ratings >= 4 and normal ratings < 4
    const first = [...VAN_DYKE_RATINGS[0]![0]!].map(Number);
    const tp = first.slice(VAN_DYKE_NORMAL).filter((x) => x >= 4).length;
    const tn = first.slice(0, VAN_DYKE_NORMAL).filter((x) => x < 4).length;
    expect(r.unaided.perReader[0]).toMatchObject({ tp, fn: 45 - tp, tn, fp: 69 - tn });
    expect(r.unaided.perReader[0]!.sensitivity).toBeCloseTo(tp / 45, 12);
    const pooled = r.aided.pooled;
    expect(pooled.tp + pooled.fn).toBe(5 * 45);
    expect(pooled.tn + pooled.fp).toBe(5 * 69);
    expect(pooled.tp).toBe(r.aided.perReader.reduce((s, x) => s + x.tp, 0));
  });

  it("calls every read positive at the lowest rating: sensitivity 1, specificity 0", () => {
    const r = vanDyke(1);
    expect(r.aided.pooled).toMatchObject({ sensitivity: 1, specificity: 0 });
  });
});

describe("Student's t with real degrees of freedom", () => {
  it("matches tabulated quantiles and tails", () => {
    // t tables: t(0.975; 1) = 12.7062, t(0.975; 4) = 2.7764, t(0.975; 30) = 2.0423
    expect(studentTQuantile975(1)).toBeCloseTo(12.7062, 4);
    expect(studentTQuantile975(4)).toBeCloseTo(2.7764, 4);
    expect(studentTQuantile975(30)).toBeCloseTo(2.0423, 4);
    // t(1) is Cauchy: P(T > 1) = 1/4
    expect(studentTUpper(1, 1)).toBeCloseTo(0.25, 12);
  });
});

describe("bad input", () => {
  it("refuses a reader missing from one modality, a short row and a one-class truth", () => {
    const [u, a] = ratings;
    expect(() => mrmcAnalysis({ truth, ratings: [u, a.slice(1)], threshold: 3 })).toThrow(
      /every reader must read both/,
    );
    expect(() =>
      mrmcAnalysis({ truth, ratings: [u, [a[0]!.slice(1), ...a.slice(1)]], threshold: 3 }),
    ).toThrow(/not one for each of 114 cases/);
    expect(() => mrmcAnalysis({ truth: truth.map(() => true), ratings, threshold: 3 })).toThrow(
      /two normal and two abnormal/,
    );
    expect(() =>
      mrmcAnalysis({ truth, ratings: [u, [[...a[0]!.slice(1), Number.NaN], ...a.slice(1)]], threshold: 3 }),
    ).toThrow(/not a number/);
  });
});
