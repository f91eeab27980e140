// The batch strategies' priorities on hand-worked inputs: ranks, k-center scores, neighbours, the weighted mix.
import { describe, expect, it } from "vitest";
import {
  batchPriorities,
  diversityScores,
  nearestNeighbours,
  normalisedRanks,
  strategyWeightsSchema,
  unionMask,
  unrankedPriority,
  type BatchImage,
} from "../src";

const image = (over: Partial<BatchImage> = {}): BatchImage => ({
  inCampaign: false,
  embedding: null,
  camOutside: null,
  scores: {},
  ...over,
});

describe("normalised ranks", () => {
  it("maps the highest to 1, the lowest to 0, ties share their mean rank, missing counts 0", () => {
    // sorted: 0.1 (rank 0), 0.5 and 0.5 (ranks 1, 2 -> 1.5), 0.9 (rank 3); over 3 -> 0, 0.5, 0.5, 1
    expect(normalisedRanks([0.5, 0.9, null, 0.1, 0.5])).toEqual([0.5, 1, 0, 0, 0.5]);
    expect(normalisedRanks([7])).toEqual([1]);
    expect(normalisedRanks([null, null])).toEqual([0, 0]);
  });
});

describe("diversity", () => {
  // 1-D: 0, 1, 10, 11, 5 (as the k-center test), and one image without an embedding
  const points = [[0], [1], [10], [11], [5], null];

  it("scores the k-center order by the distance covered, the typical image first", () => {
    // order 4 (5: typical, above all), 3 (11: distance 6), 0 (0: 5), 2 (10: 1 from 11), 1 (1: 1 from 0)
    const s = diversityScores(
      points,
      points.map(() => false),
    );
    expect(s).toEqual([5, 1, 1, 6, 7, null]);
  });

  it("ranks images added later against the campaign's images", () => {
    // 0 and 11 are in the campaign: 5 covers 5 from 0, then 1 and 10 are each 1 from a centre
    const s = diversityScores(points, [true, false, false, true, false, false]);
    expect(s[4]).toBe(5);
    expect(s[1]).toBe(1);
    expect(s[2]).toBe(1);
  });

  it("puts an image without an embedding after the ranked ones", () => {
    const p = batchPriorities(
      "DIVERSITY",
      points.map((embedding) => image({ embedding })),
    );
    expect(p[5]).toBe(unrankedPriority);
    expect(Math.min(...p.slice(0, 5))).toBeGreaterThan(unrankedPriority);
  });
});

describe("CAM-ROI disagreement", () => {
  it("is the outside share, unranked without a map", () => {
    const p = batchPriorities("CAM_ROI_DISAGREEMENT", [
      image({ camOutside: 0.2 }),
      image({ camOutside: 0.9 }),
      image({ camOutside: 0 }),
      image(),
    ]);
    expect(p).toEqual([0.2, 0.9, 0, unrankedPriority]);
  });

  it("finds the nearest labelled neighbours and joins their regions", () => {
    expect(
      nearestNeighbours(
        [0, 0],
        [
          [3, 0],
          [1, 1],
          [0, 1],
          [5, 5],
        ],
        2,
      ),
    ).toEqual([2, 1]);
    expect(
      Array.from(
        unionMask(
          [
            [1, 0, 0],
            [0, 0, 2],
          ],
          3,
        ),
      ),
    ).toEqual([1, 0, 1]);
    expect(() => unionMask([[1, 0]], 3)).toThrow(/2 values, the map 3/);
  });
});

describe("weighted mix", () => {
  // entropy ranks a > b > c; CAM ranks c > b > a
  const images = [
    image({ scores: { ENTROPY: 0.9 }, camOutside: 0.1 }),
    image({ scores: { ENTROPY: 0.5 }, camOutside: 0.5 }),
    image({ scores: { ENTROPY: 0.1 }, camOutside: 0.8 }),
  ];

  it("is the weighted mean of the normalised ranks", () => {
    // weights 3:1 -> a = (3*1 + 0)/4 = 0.75, b = (3*0.5 + 0.5)/4 = 0.5, c = (0 + 1)/4 = 0.25
    expect(batchPriorities("WEIGHTED_MIX", images, { ENTROPY: 3, CAM_ROI_DISAGREEMENT: 1 })).toEqual([
      0.75, 0.5, 0.25,
    ]);
    // the other way round the order flips
    const flipped = batchPriorities("WEIGHTED_MIX", images, { ENTROPY: 1, CAM_ROI_DISAGREEMENT: 3 });
    expect(flipped[2]).toBeGreaterThan(flipped[0]!);
  });

  it("refuses negative weights and all-zero weights with a clear message", () => {
    expect(strategyWeightsSchema.safeParse({ ENTROPY: -1 }).success).toBe(false);
    const zero = strategyWeightsSchema.safeParse({ ENTROPY: 0 });
    expect(zero.success).toBe(false);
    expect(zero.error?.issues[0]?.message).toMatch(/at least one strategy/);
    expect(strategyWeightsSchema.safeParse({ WEIGHTED_MIX: 1 }).success).toBe(false);
    expect(() => batchPriorities("WEIGHTED_MIX", images, {})).toThrow();
  });
});
