// The statistics against worked examples with published figures, and against hand computation.
import { describe, expect, it } from "vitest";
import { againstReference, cohenKappa, cohenKappaForClass, fleissKappa, maskOverlap } from "../src/index";

/** n copies of a pair of labels */
const pairs = (spec: [string, string, number][]) => {
  const a: string[] = [];
  const b: string[] = [];
  for (const [x, y, n] of spec)
    for (let i = 0; i < n; i++) {
      a.push(x);
      b.push(y);
    }
  return { a, b };
};

describe("Cohen's kappa", () => {
  // The worked example of Wikipedia's "Cohen's kappa" article: 50 grant proposals, two readers,
  // yes/yes 20, yes/no 5, no/yes 10, no/no 15 -> po 0.7, pe 0.5, kappa 0.4.
  const { a, b } = pairs([
    ["yes", "yes", 20],
    ["yes", "no", 5],
    ["no", "yes", 10],
    ["no", "no", 15],
  ]);

  it("matches the published figures", () => {
    const r = cohenKappa(a, b);
    expect(r.po).toBeCloseTo(0.7, 10);
    expect(r.pe).toBeCloseTo(0.5, 10);
    expect(r.kappa).toBeCloseTo(0.4, 10);
  });

  it("has Cohen's (1960) standard error and a 95% interval around kappa", () => {
    const r = cohenKappa(a, b);
    // by hand: sqrt(0.7 * 0.3 / (50 * 0.5^2)) = sqrt(0.0168) = 0.129615
    expect(r.se).toBeCloseTo(0.129615, 5);
    expect(r.ci.lower).toBeCloseTo(0.4 - 1.959964 * 0.129615, 5);
    expect(r.ci.upper).toBeCloseTo(0.4 + 1.959964 * 0.129615, 5);
  });

  it("is 1 for identical readers and negative for systematic disagreement", () => {
    expect(cohenKappa(["x", "y", "x"], ["x", "y", "x"]).kappa).toBe(1);
    expect(cohenKappa(["x", "y"], ["y", "x"]).kappa).toBe(-1);
  });

  it("per class is the kappa of that class against the rest", () => {
    // three classes; for "c": reader a says c on subjects 0,1; reader b on 0,2 -> 2x2 (1,1,1,1 of 4)
    const r = cohenKappaForClass(["c", "c", "d", "e"], ["c", "d", "c", "e"], "c");
    // po = 2/4, pe = 0.5*0.5 + 0.5*0.5 = 0.5 -> kappa 0
    expect(r.kappa).toBeCloseTo(0, 10);
  });

  it("refuses readers of different subjects", () => {
    expect(() => cohenKappa(["x"], ["x", "y"])).toThrow(/1 and 2 subjects/);
  });
});

describe("Fleiss' kappa", () => {
  // Wikipedia's "Fleiss' kappa" worked example: 10 subjects, 14 raters, 5 categories.
  // Published: p_j = 0.143 0.200 0.279 0.150 0.229, P-bar 0.378, P-bar-e 0.213, kappa 0.210.
  const table = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
  ];

  it("matches the published figures", () => {
    const r = fleissKappa(table, { bootstrap: 200 });
    expect(r.p.map((p) => Number(p.toFixed(3)))).toEqual([0.143, 0.2, 0.279, 0.15, 0.229]);
    expect(r.pBar).toBeCloseTo(0.378, 3);
    expect(r.peBar).toBeCloseTo(0.213, 3);
    expect(r.kappa).toBeCloseTo(0.21, 3);
    expect(r.subjects).toBe(10);
    expect(r.raters).toBe(14);
  });

  it("per category: the overall kappa is their average weighted by p_j q_j (Fleiss 1971, eq. 14)", () => {
    const r = fleissKappa(table, { bootstrap: 0 });
    const w = r.p.map((p) => p * (1 - p));
    const weighted = r.perCategory.reduce((s, k, j) => s + k * w[j]!, 0) / w.reduce((s, x) => s + x, 0);
    expect(weighted).toBeCloseTo(r.kappa, 10);
    // category 1 by hand: sum x(14-x) = 2*12+7*7+3*11+2*12+6*8 = 178; p = 20/140
    const p1 = 20 / 140;
    expect(r.perCategory[0]).toBeCloseTo(1 - 178 / (10 * 14 * 13 * p1 * (1 - p1)), 10);
  });

  it("gives a bootstrap 95% interval that contains kappa, the same for the same seed", () => {
    const r = fleissKappa(table, { bootstrap: 500, seed: 7 });
    expect(r.ci.lower).toBeLessThan(r.kappa);
    expect(r.ci.upper).toBeGreaterThan(r.kappa);
    expect(fleissKappa(table, { bootstrap: 500, seed: 7 }).ci).toEqual(r.ci);
  });

  it("with two raters equals Scott's pi on the same data", () => {
    // two raters, 4 subjects: (x,x) (x,y) (y,y) (y,y) -> po 0.75, pooled p_x = 3/8 -> pe = 9/64 + 25/64
    const r = fleissKappa(
      [
        [2, 0],
        [1, 1],
        [0, 2],
        [0, 2],
      ],
      { bootstrap: 0 },
    );
    expect(r.kappa).toBeCloseTo((0.75 - 34 / 64) / (1 - 34 / 64), 10);
  });

  it("refuses subjects with different numbers of ratings", () => {
    expect(() =>
      fleissKappa(
        [
          [2, 0],
          [1, 0],
        ],
        { bootstrap: 0 },
      ),
    ).toThrow(/2 ratings/);
  });
});

describe("a reader against a reference", () => {
  it("gives sensitivity, specificity and kappa per class", () => {
    const reader = ["covid", "covid", "normal", "covid", "normal", "normal"];
    const truth = ["covid", "normal", "normal", "covid", "covid", "normal"];
    const r = againstReference(reader, truth, ["covid", "normal"]);
    const covid = r.perClass[0]!;
    // by hand: tp 2 (0, 3), fn 1 (4), fp 1 (1), tn 2 (2, 5)
    expect([covid.tp, covid.fn, covid.fp, covid.tn]).toEqual([2, 1, 1, 2]);
    expect(covid.sensitivity).toBeCloseTo(2 / 3, 10);
    expect(covid.specificity).toBeCloseTo(2 / 3, 10);
    // po 4/6, pe 0.5 -> kappa 1/3
    expect(r.kappa.kappa).toBeCloseTo(1 / 3, 10);
    expect(r.accuracy).toBeCloseTo(4 / 6, 10);
  });
});

describe("ROI overlap", () => {
  it("IoU and Dice of two masks, by hand", () => {
    // 4x4 grid: A is the left half (8 px), B the middle two columns (8 px); both: column 1 (4 px)
    const a = [1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0];
    const b = [0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0];
    const r = maskOverlap(a, b);
    expect(r).toMatchObject({ a: 8, b: 8, both: 4 });
    expect(r.iou).toBeCloseTo(4 / 12, 10);
    expect(r.dice).toBeCloseTo(8 / 16, 10);
  });

  it("two empty masks agree; a mask against an empty one does not", () => {
    expect(maskOverlap([0, 0], [0, 0]).iou).toBe(1);
    expect(maskOverlap([1, 0], [0, 0]).iou).toBe(0);
  });
});
