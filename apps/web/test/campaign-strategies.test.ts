// The campaign form's strategy block (no database): a description for every strategy, the weight editing and
// the server schema's refusal of a weighted mix without usable weights.
import { queueStrategies } from "@cxr/domain";
import { describe, expect, it } from "vitest";
import { newCampaignSchema, strategyDescriptions, weightsText, withWeight } from "~/lib/campaigns";

const base = {
  name: "mix",
  labelSetId: "cl0000000000000000000000",
  task: "CLASSIFY" as const,
  readerIds: ["cl0000000000000000000001"],
  readsPerImage: 1,
  blinded: true,
  consensusRule: "MAJORITY" as const,
  selection: {},
};

describe("the strategy block", () => {
  it("describes every strategy in one line", () => {
    for (const s of queueStrategies) {
      expect(strategyDescriptions[s].length).toBeGreaterThan(10);
      expect(strategyDescriptions[s]).not.toContain("\n");
    }
  });

  it("edits weights: a positive number sets one, 0 or nonsense drops it", () => {
    const w = withWeight({ ENTROPY: 1 }, "DIVERSITY", 2);
    expect(w).toEqual({ ENTROPY: 1, DIVERSITY: 2 });
    expect(withWeight(w, "ENTROPY", 0)).toEqual({ DIVERSITY: 2 });
    expect(withWeight(w, "ENTROPY", Number.NaN)).toEqual({ DIVERSITY: 2 });
    expect(weightsText({ DIVERSITY: 2, ENTROPY: 1 })).toBe("entropy 1, diversity 2");
    expect(weightsText({ ENTROPY: -1 })).toBe("");
  });

  it("the server refuses a weighted mix without weights, with zero weights or negative ones", () => {
    const mix = (strategyWeights: unknown) =>
      newCampaignSchema.safeParse({ ...base, strategy: "WEIGHTED_MIX", strategyWeights });
    expect(mix(null).error?.issues[0]?.message).toMatch(/needs its weights/);
    expect(mix({ ENTROPY: 0 }).error?.issues[0]?.message).toMatch(/at least one strategy/);
    expect(mix({ ENTROPY: -2, DIVERSITY: 1 }).success).toBe(false);
    expect(mix({ ENTROPY: 2, DIVERSITY: 1 }).success).toBe(true);
    expect(newCampaignSchema.parse({ ...base, strategy: "DIVERSITY" }).strategyWeights).toBeNull();
  });
});
