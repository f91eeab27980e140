// k-center greedy and the CAM-ROI score against hand-worked cases.
import { describe, expect, it } from "vitest";
import { camOutsideShare, kCenterGreedy } from "../src/selection";

describe("k-center greedy", () => {
  // 1-D points: two tight pairs far apart and one in the middle
  const points = [[0], [1], [10], [11], [5]];

  it("starts at the typical point, then always takes the farthest from the chosen ones", () => {
    // centroid 5.4 -> nearest is 5 (index 4); farthest from {5}: 11 (6) over 0 (5); then from {5, 11}: 0 (5)
    expect(kCenterGreedy(points, 3)).toEqual([4, 3, 0]);
  });

  it("never picks near-duplicates while something far is left", () => {
    const picks = kCenterGreedy(points, 3);
    expect(picks).not.toContain(1); // 1 is a near-duplicate of 0
    expect(picks).not.toContain(2); // 10 is a near-duplicate of 11
  });

  it("counts the labelled images as centres and never returns them", () => {
    // labelled 0 and 11: distances 1->1, 10->1, 5->5: 5 first, then the tie 1 vs 10 (both 1) goes to index 1
    expect(kCenterGreedy(points, 2, [0, 3])).toEqual([4, 1]);
    expect(kCenterGreedy(points, 10, [0, 3])).toHaveLength(3);
  });
});

describe("CAM outside the readers' regions", () => {
  it("is the share of the heat outside the mask", () => {
    // heat 1 + 3 inside, 4 outside -> 4 / 8
    expect(camOutsideShare([1, 3, 4, 0], [1, 1, 0, 0])).toBeCloseTo(0.5, 10);
    expect(camOutsideShare([0, 2], [0, 1])).toBe(0);
    expect(camOutsideShare([0, 2], [1, 0])).toBe(1);
    expect(camOutsideShare([0, 0], [1, 0])).toBe(0);
  });
});
