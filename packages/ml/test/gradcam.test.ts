import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../src/backend";
import { gradCam } from "../src/gradcam/gradcam";
import { scoreLocalization, summarizeLocalization } from "../src/gradcam/localization";
import { buildClassifier, type Classifier } from "../src/models/classifier";

/**
 * A model whose Grad-CAM is known in closed form: target = 1x1 conv with weights (1, 2) (no bias), then global
 * average pooling and logits with weights W. d logit_k / dA[h,w,c] = W[c,k] / HW, so the channel weights are
 * W[c,k] / HW and CAM_k = x * sum_c (c+1) W[c,k] / HW: proportional to the input, sign given by the class.
 */
function analyticClassifier(): Classifier {
  const input = tf.input({ shape: [4, 4, 1] });
  const target = tf.layers.conv2d({
    filters: 2,
    kernelSize: 1,
    useBias: false,
    name: "target",
    weights: [tf.tensor4d([1, 2], [1, 1, 1, 2])],
  });
  const pooled = tf.layers.globalAveragePooling2d({}).apply(target.apply(input)) as tf.SymbolicTensor;
  // class 0: +1, +1 (positive evidence); class 1: -1, -1 (negative)
  const logits = tf.layers.dense({
    units: 2,
    name: "logits",
    weights: [tf.tensor2d([1, -1, 1, -1], [2, 2]), tf.zeros([2])],
  });
  const probs = tf.layers
    .activation({ activation: "softmax", name: "probs" })
    .apply(logits.apply(pooled)) as tf.SymbolicTensor;
  return {
    arch: "compact",
    classes: ["a", "b"],
    inputSize: [4, 4],
    channels: 1,
    targetLayer: "target",
    headPool: "global",
    headPoolType: "avg",
    headBatchNorm: false,
    model: tf.model({ inputs: input, outputs: probs }),
  };
}

const image = Float32Array.from({ length: 16 }, (_, i) => ((i * 5) % 16) / 16);

let analytic: Classifier;
let compact: Classifier;
beforeAll(async () => {
  await initBackend("wasm");
  analytic = analyticClassifier();
  compact = await buildClassifier({ classes: ["normal", "pneumonia", "covid-19"] });
});
afterAll(() => {
  analytic.model.dispose();
  compact.model.dispose();
});

describe("Grad-CAM", () => {
  it("equals the closed form: the input normalised by its max for the positive class, zero for the negative", async () => {
    const x = tf.tensor4d(image, [1, 4, 4, 1]);
    const pos = await gradCam(analytic, x, { classIndex: 0 });
    const neg = await gradCam(analytic, x, { classIndex: 1 });
    x.dispose();
    const max = Math.max(...image);
    pos.maps[0]!.data.forEach((v, i) => expect(v).toBeCloseTo((image[i] ?? 0) / max, 5));
    expect(Math.max(...neg.maps[0]!.data)).toBe(0);
    // mean logit 3 * mean(x) for class a, -3 * mean(x) for b
    const m = image.reduce((a, v) => a + v, 0) / 16;
    expect(pos.probs[0]![0]).toBeCloseTo(1 / (1 + Math.exp(-6 * m)), 5);
    expect(pos.classIndex).toEqual([0]);
  });

  it("the report's guided variant keeps only positive gradients: min-max normalised input for the positive class", async () => {
    const x = tf.tensor4d(image, [1, 4, 4, 1]);
    const guided = await gradCam(analytic, x, { classIndex: 0, variant: "guided" });
    const guidedNeg = await gradCam(analytic, x, { classIndex: 1, variant: "guided" });
    x.dispose();
    const [lo, hi] = [Math.min(...image), Math.max(...image)];
    guided.maps[0]!.data.forEach((v, i) => expect(v).toBeCloseTo(((image[i] ?? 0) - lo) / (hi - lo), 5));
    // all gradients negative -> weights 0 -> a flat map
    expect(Math.max(...guidedNeg.maps[0]!.data)).toBe(0);
  });

  it("keeps tiny raw maps (epsilon scaled to the map)", async () => {
    const x = tf.tensor4d(
      image.map((v) => v * 1e-7),
      [1, 4, 4, 1],
    );
    const r = await gradCam(analytic, x, { classIndex: 0 });
    x.dispose();
    expect(Math.max(...r.maps[0]!.data)).toBeCloseTo(1, 4);
  });

  it("gives each image of a batch its own weights (batch result = one by one) and leaks no tensors", async () => {
    const batch = tf.randomUniform([3, 224, 224, 1], 0, 1, "float32", 11) as tf.Tensor4D;
    await gradCam(compact, tf.slice(batch, [0, 0, 0, 0], [1, 224, 224, 1]) as tf.Tensor4D).then(
      () => undefined,
    ); // warm-up
    const before = tf.memory().numTensors;
    const together = await gradCam(compact, batch, { classIndex: [0, 1, 2] });
    for (let i = 0; i < 3; i++) {
      const one = tf.slice(batch, [i, 0, 0, 0], [1, 224, 224, 1]) as tf.Tensor4D;
      const alone = await gradCam(compact, one, { classIndex: i });
      one.dispose();
      const a = together.coarse[i]!.data;
      const b = alone.coarse[0]!.data;
      let worst = 0;
      a.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - (b[j] ?? 0)))));
      expect(worst).toBeLessThan(1e-4);
    }
    expect(tf.memory().numTensors).toBe(before);
    batch.dispose();
    expect(together.maps[0]!.width).toBe(224);
    expect(together.coarse[0]!.width).toBe(14);
    for (const m of together.maps) {
      expect(Math.min(...m.data)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...m.data)).toBeLessThanOrEqual(1);
    }
  });

  it("rejects a class index out of range and an unknown layer", async () => {
    const x = tf.zeros([1, 4, 4, 1]) as tf.Tensor4D;
    await expect(gradCam(analytic, x, { classIndex: 2 })).rejects.toThrow(/out of range/);
    await expect(gradCam(analytic, x, { targetLayer: "nope" })).rejects.toThrow(/no layer named nope/);
    x.dispose();
  });
});

describe("localization metrics", () => {
  const map = { width: 4, height: 2, data: Float32Array.from([0, 0.2, 0.1, 0, 0.3, 1, 0.4, 0]) };
  it("pointing game and energy against a ROI, with the area share as baseline", () => {
    const roi = { width: 4, height: 2, data: Float32Array.from([0, 0, 0, 0, 0, 1, 1, 0]) };
    const s = scoreLocalization(map, roi);
    expect(s.hit).toBe(true);
    expect(s.energy).toBeCloseTo(1.4 / 2.0, 6);
    expect(s.baseline).toBeCloseTo(2 / 8, 6);
    const miss = scoreLocalization(map, {
      width: 4,
      height: 2,
      data: Float32Array.from([0, 1, 1, 0, 0, 0, 0, 0]),
    });
    expect(miss.hit).toBe(false);
    expect(miss.energy).toBeCloseTo(0.3 / 2.0, 6);
    // the maximum (x=1,y=1) is one pixel from the ROI at (1,0): a hit with a tolerance of 1
    expect(
      scoreLocalization(map, { width: 4, height: 2, data: Float32Array.from([0, 1, 0, 0, 0, 0, 0, 0]) }, 1)
        .hit,
    ).toBe(true);
    expect(
      scoreLocalization(map, { width: 4, height: 2, data: Float32Array.from([0, 0, 0, 1, 0, 0, 0, 0]) }, 1)
        .hit,
    ).toBe(false);
    // a map that is zero (or flat) everywhere points nowhere: a miss, however large the ROI
    const everywhere = { width: 4, height: 2, data: new Float32Array(8).fill(1) };
    expect(scoreLocalization({ width: 4, height: 2, data: new Float32Array(8) }, everywhere).hit).toBe(false);
    expect(
      scoreLocalization({ width: 4, height: 2, data: new Float32Array(8).fill(0.5) }, everywhere, 1).hit,
    ).toBe(false);
    const summary = summarizeLocalization([s, miss]);
    expect(summary.pointing_game).toBe(0.5);
    expect(summary.energy_pointing_game).toBeCloseTo(0.425, 6);
  });

  it("resizes the ROI to the map and refuses an empty ROI", () => {
    const big = { width: 8, height: 4, data: new Float32Array(32) };
    for (const [x, y] of [
      [2, 2],
      [3, 2],
      [2, 3],
      [3, 3],
    ] as const)
      big.data[8 * y + x] = 1; // block -> (1,1) of 4x2
    expect(scoreLocalization(map, big).hit).toBe(true);
    expect(() => scoreLocalization(map, { width: 4, height: 2, data: new Float32Array(8) })).toThrow(/empty/);
  });
});
