import { describe, expect, it } from "vitest";
import { bootstrap, quantile } from "../src/metrics/bootstrap";
import { expectedCalibrationError } from "../src/metrics/calibration";
import { accuracy, cohenKappa, confusionMatrix, perClass } from "../src/metrics/confusion";
import { computeMetrics } from "../src/metrics/report";
import { aucOneVsRest, rocAuc } from "../src/metrics/roc";
import { prCurve, reliabilityBins, rocCurve } from "../src/metrics/curves";

const close = (actual: number | null | undefined, expected: number) =>
  expect(actual).toBeCloseTo(expected, 6);

describe("confusion-matrix metrics (hand-computed)", () => {
  // true 0 -> [2,1,0], true 1 -> [0,1,1], true 2 -> [1,0,3]
  const yTrue = [0, 0, 0, 1, 1, 2, 2, 2, 2];
  const yPred = [0, 1, 0, 1, 2, 2, 2, 0, 2];
  const cm = confusionMatrix(yTrue, yPred, 3);

  it("counts rows as true and columns as predicted", () => {
    expect(cm).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [1, 0, 3],
    ]);
  });

  it("precision, recall, specificity, F1 per class", () => {
    const f = perClass(cm);
    close(f[0]?.precision, 2 / 3);
    close(f[0]?.recall, 2 / 3);
    close(f[0]?.specificity, 5 / 6);
    close(f[0]?.f1, 2 / 3);
    close(f[1]?.precision, 1 / 2);
    close(f[1]?.specificity, 6 / 7);
    close(f[2]?.recall, 3 / 4);
    close(f[2]?.specificity, 4 / 5);
    close(f[2]?.f1, 3 / 4);
    expect(f.map((x) => x.support)).toEqual([3, 2, 4]);
  });

  it("accuracy and Cohen's kappa", () => {
    close(accuracy(cm), 6 / 9);
    // p_o = 6/9, p_e = (3*3 + 2*2 + 4*4) / 81 = 29/81 -> kappa = 25/52
    close(cohenKappa(cm), 25 / 52);
    close(
      cohenKappa([
        [5, 0],
        [0, 5],
      ]),
      1,
    );
  });

  it("zero denominators give 0, not NaN", () => {
    const f = perClass([
      [3, 0],
      [0, 0],
    ]);
    expect(f[1]).toEqual({ precision: 0, recall: 0, specificity: 1, f1: 0, support: 0 });
  });
});

describe("ROC AUC", () => {
  it("counts ties as half (Mann-Whitney)", () => {
    // positives 0.35, 0.8, 0.4 vs negatives 0.1, 0.4: 1 + 0 + 1 + 1 + 1 + 0.5 = 4.5 of 6 pairs
    close(rocAuc([0.1, 0.4, 0.35, 0.8, 0.4], [false, false, true, true, true]), 0.75);
  });

  it("is 1 for a perfect ranking, 0 for a reversed one, null with one class", () => {
    close(rocAuc([0.1, 0.2, 0.9], [false, false, true]), 1);
    close(rocAuc([0.9, 0.2, 0.1], [false, false, true]), 0);
    expect(rocAuc([0.3, 0.4], [true, true])).toBeNull();
  });

  it("one-vs-rest macro averages the classes", () => {
    const probs = [
      [0.7, 0.2, 0.1],
      [0.2, 0.5, 0.3],
      [0.1, 0.3, 0.6],
      [0.4, 0.4, 0.2],
    ];
    const { perClass: auc, macro } = aucOneVsRest(probs, [0, 1, 2, 1], 3);
    // class 0: pos 0.7 vs 0.2, 0.1, 0.4 -> 1; class 1: pos 0.5, 0.4 vs 0.2, 0.3 -> 1; class 2: pos 0.6 vs 0.1, 0.3, 0.2 -> 1
    expect(auc).toEqual([1, 1, 1]);
    close(macro, 1);
    const tie = aucOneVsRest(
      [
        [0.5, 0.5],
        [0.5, 0.5],
      ],
      [0, 1],
      2,
    );
    close(tie.macro, 0.5);
  });
});

describe("expected calibration error", () => {
  it("matches a hand computation with 3 bins", () => {
    const probs = [
      [0.9, 0.1],
      [0.8, 0.2],
      [0.3, 0.7],
      [0.6, 0.4],
      [0.45, 0.55],
    ];
    // bin (2/3,1]: conf .9 .8 .7, 2 of 3 right -> |2/3 - 0.8| * 3/5 = 0.08
    // bin (1/3,2/3]: conf .6 .55, 1 of 2 right -> |0.5 - 0.575| * 2/5 = 0.03
    close(expectedCalibrationError(probs, [0, 1, 1, 0, 0], 3), 0.11);
  });

  it("is 0 for perfectly calibrated certainty", () => {
    close(
      expectedCalibrationError(
        [
          [1, 0],
          [0, 1],
        ],
        [0, 1],
      ),
      0,
    );
  });
});

describe("bootstrap confidence intervals", () => {
  it("quantile interpolates linearly", () => {
    close(quantile([1, 2, 3, 4], 0.5), 2.5);
    close(quantile([1, 2, 3, 4], 0.025), 1.075);
  });

  it("is seeded, brackets the estimate, and collapses when every resample agrees", () => {
    const hits = [1, 1, 0, 1, 0, 1, 1, 1, 0, 1];
    const stat = (idx: number[]) => ({ acc: idx.reduce((a, i) => a + (hits[i] ?? 0), 0) / idx.length });
    const a = bootstrap(hits.length, stat, { seed: 5, iterations: 500 });
    const b = bootstrap(hits.length, stat, { seed: 5, iterations: 500 });
    expect(a).toEqual(b);
    expect(a.acc?.lower).toBeLessThan(0.7);
    expect(a.acc?.upper).toBeGreaterThan(0.7);
    const ones = bootstrap(4, () => ({ acc: 1 }), { iterations: 50 });
    expect(ones.acc).toEqual({ lower: 1, upper: 1 });
  });

  it("resamples whole groups when given", () => {
    // two groups: all of group a right, all of group b wrong; a resample holds both groups' images or neither
    const hits = [1, 1, 1, 0, 0, 0];
    const sizes = new Set<number>();
    bootstrap(
      6,
      (idx) => {
        sizes.add(idx.length);
        return { acc: idx.reduce((s, i) => s + (hits[i] ?? 0), 0) / idx.length };
      },
      { groups: ["a", "a", "a", "b", "b", "b"], iterations: 50 },
    );
    expect([...sizes]).toEqual([6]);
  });
});

// six predictions of three classes: right, wrong, right, right, right, wrong
const probs = [
  [0.8, 0.1, 0.1],
  [0.6, 0.3, 0.1],
  [0.2, 0.7, 0.1],
  [0.1, 0.2, 0.7],
  [0.3, 0.3, 0.4],
  [0.5, 0.2, 0.3],
];
const y = [0, 1, 1, 2, 2, 2];

describe("the full report", () => {
  it("assembles the figures, per-class keyed by class name", () => {
    const r = computeMetrics(probs, y, ["normal", "pneumonia", "covid-19"], { bootstrapIterations: 200 });
    expect(r.confusion_matrix).toEqual([
      [1, 0, 0],
      [1, 1, 0],
      [1, 0, 2],
    ]);
    close(r.accuracy, 4 / 6);
    close(r.per_class["pneumonia"]?.recall, 0.5);
    close(r.per_class["normal"]?.precision, 1 / 3);
    expect(r.ci95["accuracy"]?.lower).toBeLessThanOrEqual(r.accuracy);
    expect(r.ci95["accuracy"]?.upper).toBeGreaterThanOrEqual(r.accuracy);
    expect(r.ci95).toHaveProperty(["covid-19.sensitivity"]);
  });
});

describe("curves (hand-computed)", () => {
  // scores 0.9(+) 0.8(-) 0.7(+) 0.7(-) 0.2(-): the tie at 0.7 moves as one step
  const scores = [0.9, 0.8, 0.7, 0.7, 0.2];
  const positive = [true, false, true, false, false];

  it("ROC: one point per distinct threshold from (0,0) to (1,1), and its area is rocAuc", () => {
    const roc = rocCurve(scores, positive);
    expect(roc).toEqual([
      { fpr: 0, tpr: 0 },
      { fpr: 0, tpr: 0.5 },
      { fpr: 1 / 3, tpr: 0.5 },
      { fpr: 2 / 3, tpr: 1 },
      { fpr: 1, tpr: 1 },
    ]);
    const area = roc.slice(1).reduce((a, p, i) => a + (p.fpr - roc[i]!.fpr) * ((p.tpr + roc[i]!.tpr) / 2), 0);
    close(area, rocAuc(scores, positive)!);
  });

  it("PR: recall rises with precision at each threshold; empty without positives", () => {
    expect(prCurve(scores, positive).map((p) => [p.recall, p.precision])).toEqual([
      [0.5, 1],
      [0.5, 0.5],
      [1, 0.5],
      [1, 0.4],
    ]);
    expect(
      prCurve(
        scores,
        positive.map(() => false),
      ),
    ).toEqual([]);
    expect(
      rocCurve(
        scores,
        positive.map(() => true),
      ),
    ).toEqual([]);
  });

  it("keeps at most maxPoints, first and last included", () => {
    const many = Array.from({ length: 1000 }, (_, i) => i / 1000);
    const roc = rocCurve(
      many,
      many.map((_, i) => i % 3 === 0),
      50,
    );
    expect(roc).toHaveLength(50);
    expect(roc[0]).toEqual({ fpr: 0, tpr: 0 });
    expect(roc[49]).toEqual({ fpr: 1, tpr: 1 });
  });

  it("reliability bins weigh up to the ECE, and computeMetrics reports curves and per-class AUC CIs", () => {
    const bins = reliabilityBins(probs, y, 10);
    expect(bins.reduce((a, b) => a + b.count, 0)).toBe(6);
    // 0.8 and 0.7 (x2) are right, 0.6 wrong...
    expect(bins[7]).toEqual({ upper: 0.8, count: 1, confidence: 0.8, accuracy: 1 });
    const ece = bins.reduce(
      (a, b) => a + (b.count / 6) * Math.abs((b.accuracy ?? 0) - (b.confidence ?? 0)),
      0,
    );
    close(expectedCalibrationError(probs, y, 10), ece);
    const r = computeMetrics(probs, y, ["normal", "pneumonia", "covid-19"], { bootstrapIterations: 50 });
    expect(Object.keys(r.roc)).toEqual(["normal", "pneumonia", "covid-19"]);
    expect(r.pr["covid-19"]?.at(-1)?.recall).toBe(1);
    expect(r.reliability).toHaveLength(15);
    expect(r.ci95).toHaveProperty(["covid-19.auc"]);
  });
});
