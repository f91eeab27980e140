import { describe, expect, it } from "vitest";
import {
  argmax,
  bald,
  criticalConfusion,
  entropy,
  leastConfidence,
  margin,
  strategyPriority,
  voteEntropy,
  type PredictionScores,
} from "../src";

describe("uncertainty scores", () => {
  it("entropy is 0 for certainty and ln(k) for a uniform prediction", () => {
    expect(entropy([1, 0, 0])).toBe(0);
    expect(entropy([0.25, 0.25, 0.25, 0.25])).toBeCloseTo(Math.log(4), 12);
  });

  it("margin, least confidence and argmax", () => {
    expect(margin([0.1, 0.6, 0.3])).toBeCloseTo(0.3, 12);
    expect(margin([1])).toBe(1);
    expect(leastConfidence([0.1, 0.6, 0.3])).toBeCloseTo(0.4, 12);
    expect(argmax([0.1, 0.6, 0.3])).toBe(1);
  });

  // mean [0.5, 0.5]: ln 2 - (H(0.9,0.1) + H(0.1,0.9)) / 2
  const h = -(0.9 * Math.log(0.9) + 0.1 * Math.log(0.1));
  it.each([
    { a: [0.5, 0.5], b: [0.5, 0.5], expected: 0 },
    { a: [0.7, 0.3], b: [0.7, 0.3], expected: 0 },
    { a: [1, 0], b: [0, 1], expected: Math.log(2) },
    { a: [0.9, 0.1], b: [0.1, 0.9], expected: Math.log(2) - h },
  ])(
    "BALD of samples $a and $b is their mutual information, $expected (0 when they agree)",
    ({ a, b, expected }) => {
      expect(bald([a, b])).toBeCloseTo(expected, 12);
    },
  );

  it("vote entropy and the critical confusion", () => {
    expect(voteEntropy(["a", "a"])).toBe(0);
    expect(voteEntropy(["a", "b"])).toBeCloseTo(Math.log(2), 12);
    expect(criticalConfusion([0.2, 0.4, 0.4], [1, 2])).toBeCloseTo(0.8, 12);
    expect(criticalConfusion([0.2, 0.4, 0.4], [1])).toBe(0);
  });
});

describe("strategyPriority", () => {
  const prediction: PredictionScores = {
    probabilities: [0.1, 0.5, 0.4],
    confidence: 0.5,
    entropy: null,
    margin: null,
    leastConfidence: null,
    bald: 0.07,
  };
  const input = { prediction, committeeVotes: ["a", "b"], criticalIndexes: [1, 2], random: () => 0.42 };

  it("computes each strategy's score from the probabilities where none is stored", () => {
    expect(strategyPriority("FIFO", input)).toBe(0);
    expect(strategyPriority("RANDOM", input)).toBe(0.42);
    expect(strategyPriority("ENTROPY", input)).toBeCloseTo(entropy(prediction.probabilities), 12);
    expect(strategyPriority("MARGIN", input)).toBeCloseTo(0.9, 12);
    expect(strategyPriority("LEAST_CONFIDENCE", input)).toBeCloseTo(0.5, 12);
    expect(strategyPriority("BALD", input)).toBe(0.07);
    expect(strategyPriority("COMMITTEE_DISAGREEMENT", input)).toBeCloseTo(Math.log(2), 12);
    expect(strategyPriority("CRITICAL_CONFUSION", input)).toBeCloseTo(0.8, 12);
  });

  it("prefers the stored score and puts an image without a prediction last", () => {
    expect(strategyPriority("ENTROPY", { ...input, prediction: { ...prediction, entropy: 0.3 } })).toBe(0.3);
    expect(strategyPriority("ENTROPY", { ...input, prediction: null })).toBe(0);
    expect(strategyPriority("COMMITTEE_DISAGREEMENT", { ...input, committeeVotes: ["a"] })).toBe(0);
  });
});

// moved from @cxr/ml's tests with the functions
describe("uncertainty scores (hand-computed)", () => {
  it("entropy, margin, least confidence", () => {
    const p = [0.5, 0.3, 0.2];
    expect(entropy(p)).toBeCloseTo(-(0.5 * Math.log(0.5) + 0.3 * Math.log(0.3) + 0.2 * Math.log(0.2)), 6);
    expect(entropy(p)).toBeCloseTo(1.029653, 6);
    expect(margin(p)).toBeCloseTo(0.2, 6);
    expect(leastConfidence(p)).toBeCloseTo(0.5, 6);
    expect(entropy([1, 0, 0])).toBe(0);
  });
});
