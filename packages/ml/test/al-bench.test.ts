// The active-learning benchmark's simulation core on a few hand-made embeddings: the simulated readers' error
// rate, the strategies' picks, and a seeded loop with real head training (wasm) that learns and repeats itself.
import { beforeAll, describe, expect, it } from "vitest";
import { camShares, labelsToTarget, readerAnswers, runLoop, selectBatch, type Pool } from "../bench/al-core";
import { headTrainer } from "../bench/al-head";
import { initBackend } from "../src/backend";
import { createRng } from "../src/rng";

beforeAll(async () => {
  await initBackend("wasm");
});

/** Two classes in 2-D: class 0 around (0, 0) and (0, 6), class 1 around (6, 0) and (6, 6); 4 images per blob. */
function blobs(): Pool {
  const centres = [
    [0, 0, 0],
    [0, 6, 0],
    [6, 0, 1],
    [6, 6, 1],
  ] as const;
  const x: number[] = [];
  const truth: number[] = [];
  for (const [cx, cy, label] of centres)
    for (let i = 0; i < 4; i++) {
      x.push(cx + (i % 2) * 0.3, cy + (i >> 1) * 0.3);
      truth.push(label);
    }
  return { size: 2, x: Float32Array.from(x), truth };
}

describe("simulated readers", () => {
  it("answer wrongly at the set rate, always with another class", () => {
    const truth = Array.from({ length: 4000 }, (_, i) => i % 3);
    const answers = readerAnswers(truth, 3, 0.1, createRng(1));
    const wrong = answers.filter((a, i) => a !== truth[i]).length / truth.length;
    expect(wrong).toBeGreaterThan(0.085);
    expect(wrong).toBeLessThan(0.115);
    expect(answers.every((a) => a >= 0 && a < 3)).toBe(true);
    expect(readerAnswers(truth, 3, 0, createRng(1))).toEqual(truth);
  });
});

describe("strategies", () => {
  const pool = blobs();
  const noProbs = () => Promise.reject(new Error("not needed"));

  it("diversity reads the blobs nobody labelled before a second image of a labelled one", async () => {
    // labelled: two images of the (0, 0) blob; 2 picks must come from two other blobs
    const picks = await selectBatch({ strategy: "diversity", k: 2 }, pool, [0, 1], noProbs, createRng(1));
    const blob = (i: number) => Math.floor(i / 4);
    expect(new Set(picks.map(blob)).size).toBe(2);
    expect(picks.map(blob)).not.toContain(0);
  });

  it("CAM-ROI reads first the image whose map lies outside its neighbours' regions", () => {
    // 4-cell maps: every mask covers cell 0; image 5's map is in cell 3, the others' in cell 0
    const withMaps: Pool = {
      ...pool,
      cams: pool.truth.map((_, i) => Float32Array.from(i === 5 ? [0, 0, 0, 1] : [1, 0, 0, 0])),
      masks: pool.truth.map(() => Uint8Array.from([1, 0, 0, 0])),
    };
    const shares = camShares(withMaps, [0, 4, 8, 12], 2);
    expect(shares[0]).toBeNull();
    expect(shares[5]).toBe(1);
    expect(shares[6]).toBe(0);
  });
});

describe("the loop", () => {
  it("adds K labels a round, learns the blobs and repeats itself under the same seed", async () => {
    const pool = blobs();
    const test = { x: pool.x, truth: pool.truth };
    const train = headTrainer({ size: 2, classes: 2, batchNorm: true, epochs: 30 });
    const options = {
      strategy: "entropy" as const,
      classes: 2,
      initial: 4,
      k: 4,
      rounds: 2,
      errorRate: 0,
      seed: 3,
    };
    const a = await runLoop(options, pool, test, train);
    expect(a.map((r) => r.labels)).toEqual([4, 8, 12]);
    expect(a.at(-1)!.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(labelsToTarget(a, 0.9)).not.toBeNull();
    expect(await runLoop(options, pool, test, train)).toEqual(a);
  });
});
