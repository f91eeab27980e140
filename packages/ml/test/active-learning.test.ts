import { bald } from "@cxr/domain";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { activeLearningScores, mcDropoutProbs, voteEntropy } from "../src/active-learning";
import { initBackend } from "../src/backend";
import { buildClassifier, embeddingSize } from "../src/models/classifier";

beforeAll(async () => {
  await initBackend("wasm");
});

describe("a committee's vote entropy and all scores of one image", () => {
  it("vote entropy of a committee", () => {
    const committee = [
      [0.6, 0.3, 0.1],
      [0.5, 0.4, 0.1],
      [0.2, 0.7, 0.1],
      [0.1, 0.1, 0.8],
    ];
    // votes 0, 0, 1, 2 -> shares 0.5, 0.25, 0.25
    expect(voteEntropy(committee)).toBeCloseTo(0.5 * Math.log(2) + 0.5 * Math.log(4), 6);
    expect(voteEntropy([committee[0]!, committee[1]!])).toBe(0);
    const all = activeLearningScores([0.5, 0.3, 0.2], {
      mcSamples: [
        [1, 0, 0],
        [0, 1, 0],
      ],
      committee,
    });
    expect(all.bald).toBeCloseTo(Math.log(2), 6);
    expect(all.vote_entropy).toBeCloseTo(1.039721, 6);
  });
});

describe("Monte-Carlo dropout in the head", () => {
  it("gives varying, seeded samples that are valid distributions, without leaking tensors", async () => {
    const c = await buildClassifier({ classes: ["a", "b", "c"] });
    try {
      const size = embeddingSize(c);
      const emb = Float32Array.from({ length: 4 * size }, (_, i) => ((i * 7919) % 13) / 13);
      const before = tf.memory().numTensors;
      const samples = await mcDropoutProbs(c, emb, 4, { samples: 6, seed: 1 });
      expect(tf.memory().numTensors).toBe(before);
      expect(samples).toHaveLength(6);
      expect(samples[0]).toHaveLength(4);
      for (const s of samples) for (const p of s) expect(p.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 5);
      const again = await mcDropoutProbs(c, emb, 4, { samples: 6, seed: 1 });
      expect(again[3]?.[2]).toEqual(samples[3]?.[2]);
      expect(Array.from(samples[0]![0]!)).not.toEqual(Array.from(samples[1]![0]!));
      expect(bald(samples.map((s) => s[0]!))).toBeGreaterThan(0);
    } finally {
      c.model.dispose();
    }
  });
});
