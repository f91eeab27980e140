import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import {
  defaultAugment,
  expose,
  isNeutralExposure,
  radiographAugment,
  sampleExposure,
  samplePose,
  warp,
} from "../src/augment";
import { buildHeadModel } from "../src/models/head";
import { createRng } from "../src/rng";
import { balancedOrder, type Checkpoint, runEpochs } from "../src/train/epochs";
import { evaluateLoss, fit, forwardTo } from "../src/train/fit";
import { embeddingFitData } from "../src/train/fit-data";
import { DecayingAdam } from "../src/train/optimizer";
import { useWasmAndTempDir } from "./learned";
import { separableEmbeddings } from "./separable";

useWasmAndTempDir("ml-robust-");

/** runEpochs with a step that does nothing and scripted validation losses */
async function scripted(valLosses: number[], options: Parameters<typeof runEpochs>[1]) {
  let epoch = 0;
  return runEpochs(
    4,
    { batchSize: 4, ...options },
    async () => ({ loss: 1, hits: 0 }),
    async () => ({ val_loss: valLosses[epoch++] ?? 9, val_accuracy: 0.5 }),
  );
}

describe("learning-rate schedules", () => {
  it("cosine goes from the initial rate down to 2% of it over the run's steps", () => {
    const opt = new DecayingAdam(1e-3, 0, 10);
    const rates = Array.from({ length: 11 }, () => opt.nextRate());
    expect(rates[0]).toBeCloseTo(1e-3, 12);
    expect(rates[5]).toBeCloseTo(1e-3 * (0.02 + 0.98 * 0.5), 12);
    expect(rates[10]).toBeCloseTo(2e-5, 12);
    rates.slice(1).forEach((r, i) => expect(r).toBeLessThan(rates[i]!));
    opt.dispose();
  });

  it("plateau halves the rate after two epochs without a lower validation loss, and the history records it", async () => {
    const history = await scripted([1, 0.9, 0.95, 0.96, 0.97, 0.98], {
      epochs: 6,
      schedule: "plateau",
      decay: 0,
    });
    expect(history.map((h) => h.learning_rate)).toEqual([1e-3, 1e-3, 1e-3, 1e-3, 5e-4, 5e-4]);
  });
});

describe("best epoch and early stopping", () => {
  it("stops after `patience` epochs without improvement and restores the best epoch's checkpoint", async () => {
    const calls: string[] = [];
    const checkpoint: Checkpoint = {
      save: () => calls.push("save"),
      restore: () => calls.push("restore"),
      dispose: () => calls.push("dispose"),
    };
    const history = await scripted([1, 0.5, 0.6, 0.7, 0.8, 0.3], { epochs: 10, patience: 3, checkpoint });
    expect(history.map((h) => h.epoch)).toEqual([1, 2, 3, 4, 5]);
    expect(calls).toEqual(["save", "save", "restore", "dispose"]);
  });

  it("fit puts the best epoch's weights back: the model measures what that epoch measured", async () => {
    const size = 6;
    const { x, labels } = separableEmbeddings(64, size);
    // validation labelled the other way round: the better the model learns, the worse validation gets
    const val = embeddingFitData(
      x,
      size,
      labels.map((l) => 1 - l),
    );
    const head = buildHeadModel(size, { classes: 2, batchNorm: true, seed: 3 });
    const forward = forwardTo(head, "logits", 5);
    const before = tf.memory().numTensors;
    const history = await fit(
      forward,
      head.trainableWeights.map((w) => w.read() as tf.Variable),
      2,
      embeddingFitData(x, size, labels),
      val,
      { epochs: 12, batchSize: 16, patience: 3 },
    );
    expect(tf.memory().numTensors).toBe(before);
    const losses = history.map((h) => h.val_loss ?? NaN);
    const bestEpoch = losses.indexOf(Math.min(...losses));
    expect(history.length).toBe(bestEpoch + 1 + 3);
    expect(history.at(-1)!.val_loss).toBeGreaterThan(losses[bestEpoch]!);
    const now = await evaluateLoss(forward, 2, val);
    expect(now.val_loss).toBeCloseTo(losses[bestEpoch]!, 4);
    head.dispose();
  });
});

describe("class-balanced sampling", () => {
  it("draws uneven classes equally often and visits every example of the big class over the epochs", () => {
    const labels = [...Array<number>(30).fill(0), ...Array<number>(10).fill(1)];
    const draw = balancedOrder(labels, createRng(1))!;
    const epochs = [draw(), draw()];
    for (const order of epochs) {
      expect(order).toHaveLength(40);
      expect(order.filter((i) => labels[i] === 1)).toHaveLength(20);
    }
    expect(new Set(epochs.flat().filter((i) => labels[i] === 0)).size).toBe(30);
  });

  it("leaves even classes to the plain shuffle", () => {
    expect(balancedOrder([0, 1, 0, 1, 2, 2], createRng(1))).toBeUndefined();
  });
});

describe("radiograph augmentation", () => {
  const [h, w] = [16, 20];
  const image = Float32Array.from({ length: h * w }, (_, i) => (i % w) / w);

  it("never mirrors by default, and mirrors left to right when asked", () => {
    const rng = createRng(3);
    expect(Array.from({ length: 200 }, () => samplePose(rng, defaultAugment, h, w).flip)).not.toContain(true);
    const mirrored = warp(image, h, w, { degrees: 0, dx: 0, dy: 0, scale: 1, flip: true });
    expect(mirrored[0]).toBeCloseTo(image[w - 1]!, 6);
    expect(mirrored[5 * w + 3]).toBeCloseTo(image[5 * w + (w - 1 - 3)]!, 6);
  });

  it("samples every pixel as plain clamped bilinear interpolation does, inside and at the edges", () => {
    // the definition warp's inner fast path must agree with, value for value
    const reference = (src: Float32Array, pose: Parameters<typeof warp>[3]) => {
      const out = new Float32Array(h * w);
      const t = (pose.degrees * Math.PI) / 180;
      const [cos, sin] = [Math.cos(t) / pose.scale, Math.sin(t) / pose.scale];
      const [cy, cx] = [(h - 1) / 2, (w - 1) / 2];
      const at = (y: number, x: number) =>
        src[Math.min(h - 1, Math.max(0, y)) * w + Math.min(w - 1, Math.max(0, x))]!;
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          const u = (pose.flip ? w - 1 - x : x) - cx - pose.dx;
          const v = y - cy - pose.dy;
          const sx = cos * u + sin * v + cx;
          const sy = -sin * u + cos * v + cy;
          const [xi, yi] = [Math.floor(sx), Math.floor(sy)];
          const [fx, fy] = [sx - xi, sy - yi];
          out[y * w + x] =
            (1 - fy) * ((1 - fx) * at(yi, xi) + fx * at(yi, xi + 1)) +
            fy * ((1 - fx) * at(yi + 1, xi) + fx * at(yi + 1, xi + 1));
        }
      return out;
    };
    const rng = createRng(5);
    const noisy = Float32Array.from(image, (v) => v * rng.next());
    for (let k = 0; k < 20; k++) {
      const pose = samplePose(rng, { ...radiographAugment, shift: 0.2, flip: k % 2 === 0 }, h, w);
      expect(Array.from(warp(noisy, h, w, pose))).toEqual(Array.from(reference(noisy, pose)));
    }
  });

  it("leaves the exposure alone by default and changes it with the radiograph augmentation", () => {
    const rng = createRng(6);
    for (let k = 0; k < 20; k++) expect(isNeutralExposure(sampleExposure(rng, defaultAugment))).toBe(true);
    // a neutral exposure would give back the same values (so training skips it)
    const same = expose(image, sampleExposure(rng, defaultAugment), rng);
    expect(Array.from(same)).toEqual(Array.from(image));
    expect(isNeutralExposure(sampleExposure(rng, radiographAugment))).toBe(false);
  });

  it("shifts by whole pixels exactly and keeps exposure changes inside [0, 1]", () => {
    const shifted = warp(image, h, w, { degrees: 0, dx: 2, dy: 0, scale: 1, flip: false });
    expect(shifted[3 * w + 10]).toBeCloseTo(image[3 * w + 8]!, 6);
    const bright = expose(image, { gamma: 0.7, contrast: 1.3, brightness: 0.2, noise: 0.05 }, createRng(2));
    expect(Math.min(...bright)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...bright)).toBeLessThanOrEqual(1);
    expect(bright.some((v, i) => Math.abs(v - image[i]!) > 0.05)).toBe(true);
  });
});
