// The queue priority of each strategy on a four-class label set (moved from @cxr/db's assignment tests with
// the function): higher means read sooner.
import { describe, expect, it } from "vitest";
import { strategyPriority, type PredictionScores } from "../src";

/** probabilities over normal, pneumonia, covid-19, lung-opacity */
const scores = (probabilities: number[], extra: Partial<PredictionScores> = {}): PredictionScores => ({
  probabilities,
  confidence: Math.max(...probabilities),
  entropy: null,
  margin: null,
  leastConfidence: null,
  bald: null,
  ...extra,
});
const input = (prediction: PredictionScores | null, committeeVotes: string[] = []) => ({
  prediction,
  committeeVotes,
  criticalIndexes: [1, 2],
  random: () => 0.42,
});

describe("strategyPriority", () => {
  it("scores each strategy so that higher means read sooner", () => {
    const even = scores([0.25, 0.25, 0.25, 0.25]);
    const sure = scores([0.97, 0.01, 0.01, 0.01]);
    expect(strategyPriority("FIFO", input(even))).toBe(0);
    expect(strategyPriority("RANDOM", input(null))).toBe(0.42);
    expect(strategyPriority("ENTROPY", input(even))).toBeGreaterThan(
      strategyPriority("ENTROPY", input(sure)),
    );
    expect(strategyPriority("MARGIN", input(even))).toBeCloseTo(1);
    expect(strategyPriority("MARGIN", input(sure))).toBeCloseTo(0.04);
    expect(strategyPriority("LEAST_CONFIDENCE", input(sure))).toBeCloseTo(0.03);
    expect(strategyPriority("BALD", input(scores([1, 0, 0, 0], { bald: 0.3 })))).toBe(0.3);
    expect(strategyPriority("COMMITTEE_DISAGREEMENT", input(null, ["a", "a"]))).toBe(0);
    expect(strategyPriority("COMMITTEE_DISAGREEMENT", input(null, ["a", "b"]))).toBeCloseTo(Math.log(2));
    // pneumonia 0.45 vs COVID-19 0.4: a close critical call; a sure "normal" is none
    expect(strategyPriority("CRITICAL_CONFUSION", input(scores([0.1, 0.45, 0.4, 0.05])))).toBeCloseTo(0.8);
    expect(strategyPriority("CRITICAL_CONFUSION", input(sure))).toBeCloseTo(0.02);
    expect(strategyPriority("ENTROPY", input(null))).toBe(0);
  });
});
