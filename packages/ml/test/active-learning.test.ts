import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  activeLearningScores,
  bald,
  entropy,
  leastConfidence,
  margin,
  mcDropoutProbs,
  voteEntropy,
} from "../src/active-learning";
import { initBackend } from "../src/backend";
import { buildClassifier, embeddingSize } from "../src/models/classifier";

beforeAll(async () => {
  await initBackend("wasm");
});

describe("uncertainty scores (hand-computed)", () => {
  it("entropy, margin, least confidence", () => {
    const p = [0.5, 0.3, 0.2];
    expect(entropy(p)).toBeCloseTo(-(0.5 * Math.log(0.5) + 0.3 * Math.log(0.3) + 0.2 * Math.log(0.2)), 6);
    expect(entropy(p)).toBeCloseTo(1.029653, 6);
    expect(margin(p)).toBeCloseTo(0.2, 6);
    expect(leastConfidence(p)).toBeCloseTo(0.5, 6);
    expect(entropy([1, 0, 0])).toBe(0);
  });

  it("BALD is the mutual information of the samples", () => {
    expect(
      bald([
        [1, 0],
        [0, 1],
      ]),
    ).toBeCloseTo(Math.log(2), 6);
    expect(
      bald([
        [0.7, 0.3],
        [0.7, 0.3],
      ]),
    ).toBeCloseTo(0, 6);
    // mean [0.5, 0.5]: ln 2 - (H(0.9,0.1) + H(0.1,0.9)) / 2
    const h = -(0.9 * Math.log(0.9) + 0.1 * Math.log(0.1));
    expect(
      bald([
        [0.9, 0.1],
        [0.1, 0.9],
      ]),
    ).toBeCloseTo(Math.log(2) - h, 6);
  });

  it("vote entropy of a committee", () => {
    const committee = [
      [0.6, 0.3, 0.1],
      [0.5, 0.4, 0.1],
      [0.2, 0.7, 0.1],
      [0.1, 0.1, 0.8],
    ];
    // votes 0, 0, 1, 2 -> shares 0.5, 0.25, 0.25
    expect(voteEntropy(committee, 3)).toBeCloseTo(0.5 * Math.log(2) + 0.5 * Math.log(4), 6);
    expect(voteEntropy([committee[0]!, committee[1]!], 3)).toBe(0);
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
