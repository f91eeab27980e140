import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../src/backend";
import { gradCam } from "../src/gradcam/gradcam";
import { buildClassifier, type Classifier, disposeClassifier } from "../src/models/classifier";
import { runLayers } from "../src/models/graph";
import { buildHeadModel, layerNames } from "../src/models/head";
import { imageFitData } from "../src/train/fit-data";
import {
  embeddingGradient,
  insideEvidenceLoss,
  outsideShare,
  pooledFeatureLayer,
  roiGuidance,
  roiLoss,
} from "../src/train/roi-guidance";

let compact: Classifier;
beforeAll(async () => {
  await initBackend("wasm");
  compact = await buildClassifier({ arch: "compact", classes: ["normal", "pneumonia", "covid-19"], seed: 5 });
});
afterAll(() => disposeClassifier(compact));

const randomBatch = (n: number, size: number, seed: number) =>
  tf.tidy(() => tf.randomUniform([n, size, size, 1], 0, 1, "float32", seed)) as tf.Tensor4D;

describe("the closed form of Grad-CAM on a globally pooled head", () => {
  it("gives the same maps as Grad-CAM by automatic differentiation, per image and class", async () => {
    const batch = randomBatch(3, 224, 11);
    const classes = [1, 2, 0];
    const reference = await gradCam(compact, batch, { classIndex: classes });
    const ours = tf.tidy(() => {
      const guidance = roiGuidance(compact, {});
      if (typeof guidance === "string") throw new Error(guidance);
      const oneHot = tf.oneHot(tf.tensor1d(classes, "int32"), 3) as tf.Tensor2D;
      const cam = tf.relu(guidance.forward(batch, false, oneHot).evidence);
      return tf.div(cam, tf.add(tf.max(cam, [1, 2], true), 1e-30));
    });
    const values = await ours.data();
    ours.dispose();
    batch.dispose();
    const [h, w] = [reference.coarse[0]!.height, reference.coarse[0]!.width];
    expect([h, w]).toEqual([14, 14]);
    reference.coarse.forEach((map, i) =>
      map.data.forEach((v, j) => expect(values[i * h * w + j]).toBeCloseTo(v, 4)),
    );
    // a map that is not flat: the comparison means something
    expect(Math.min(...reference.coarse[0]!.data)).toBeLessThan(0.9);
  });

  it("includes the head's batch normalisation (gamma / sqrt(variance + eps)) in the embedding gradient", () => {
    const head = buildHeadModel(6, { classes: 3, batchNorm: true, seed: 2 });
    head
      .getLayer(layerNames.batchNorm)
      .setWeights([
        tf.tensor1d([2, 0.5, 1, 3, 1.5, 0.7]),
        tf.tensor1d([0.1, -0.2, 0, 0.3, 0, 0.05]),
        tf.tensor1d([0.5, 1, -1, 0, 2, 0.2]),
        tf.tensor1d([4, 0.25, 1, 2, 9, 0.5]),
      ]);
    const [ours, autodiff] = tf.tidy(() => {
      const e = tf.randomNormal([4, 6], 0, 1, "float32", 3) as tf.Tensor2D;
      const oneHot = tf.oneHot(tf.tensor1d([0, 2, 1, 2], "int32"), 3) as tf.Tensor2D;
      const [hidden] = runLayers(head, [e], [layerNames.dense]) as [tf.Tensor2D];
      const score = (x: tf.Tensor) =>
        tf.sum(tf.mul(runLayers(head, [x], [layerNames.logits])[0] as tf.Tensor, oneHot));
      return [embeddingGradient(head, hidden, oneHot, true), tf.grad(score)(e)];
    });
    const [a, b] = [ours.dataSync(), autodiff.dataSync()];
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i] ?? NaN, 5));
    expect(Math.max(...Array.from(b, Math.abs))).toBeGreaterThan(1e-3);
    tf.dispose([ours, autodiff]);
    head.dispose();
  });

  it("refuses a head that pools windows rather than the whole map, or takes its maximum", async () => {
    const windowed = await buildClassifier({ arch: "compact", classes: ["a", "b"], headPool: 7, seed: 1 });
    expect(roiGuidance(windowed, {})).toMatch(/globally pooled head/);
    disposeClassifier(windowed);
    const maxPooled = await buildClassifier({
      arch: "compact",
      classes: ["a", "b"],
      headPoolType: "max",
      seed: 1,
    });
    expect(roiGuidance(maxPooled, {})).toMatch(/average-pooled head/);
    disposeClassifier(maxPooled);
  });
});

describe("the guidance loss", () => {
  const evidence = () =>
    tf.tensor3d([
      [
        [1, 3],
        [-2, 4],
      ],
      [
        [2, 2],
        [2, 2],
      ],
      [
        [-5, 0],
        [0, 0],
      ],
    ]);
  const mask = () =>
    tf.tensor3d([
      [
        [1, 0],
        [0, 1],
      ],
      [
        [0.5, 0.5],
        [0, 0],
      ],
      [
        [1, 1],
        [0, 0],
      ],
    ]);

  it("outside share: Grad-CAM's mass (after the ReLU) outside the mask over its total; a flat zero map counts 1", () => {
    const share = outsideShare(evidence(), mask());
    // image 1: the -2 is cut by the ReLU, 3 of 8 outside; image 2: 6 of 8 (half cells count half); image 3: no mass
    const values = Array.from(share.dataSync());
    expect(values[0]).toBeCloseTo(3 / 8, 6);
    expect(values[1]).toBeCloseTo(6 / 8, 6);
    expect(values[2]).toBe(1);
    share.dispose();
  });

  it("inside evidence: -log sigmoid of the signed evidence inside the mask", () => {
    const loss = insideEvidenceLoss(evidence(), mask());
    const softplus = (x: number) => Math.log1p(Math.exp(x));
    const values = Array.from(loss.dataSync());
    expect(values[0]).toBeCloseTo(softplus(-(1 + 4)), 6);
    expect(values[1]).toBeCloseTo(softplus(-(1 + 1)), 6);
    // negative evidence in the lesion costs more than none: the flat map still gets a gradient
    expect(values[2]).toBeCloseTo(softplus(5), 5);
    loss.dispose();
  });

  it("averages both over the guided images only", () => {
    const softplus = (x: number) => Math.log1p(Math.exp(x));
    const loss = roiLoss(evidence(), mask(), tf.tensor1d([1, 0, 1]));
    expect(loss.dataSync()[0]).toBeCloseTo((3 / 8 + softplus(-5) + 1 + softplus(5)) / 2, 5);
    const none = roiLoss(evidence(), mask(), tf.tensor1d([0, 0, 0]));
    expect(none.dataSync()[0]).toBe(0);
    tf.dispose([loss, none]);
  });

  it("has finite, non-zero gradients for the backbone and head weights on wasm", () => {
    const guidance = roiGuidance(compact, {});
    if (typeof guidance === "string") throw new Error(guidance);
    const batch = randomBatch(2, 224, 4);
    const vars = compact.model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(() => {
      const oneHot = tf.oneHot(tf.tensor1d([1, 2], "int32"), 3) as tf.Tensor2D;
      const { evidence } = guidance.forward(batch, true, oneHot);
      const half = tf.concat([tf.ones([1, 14, 7]), tf.zeros([1, 14, 7])], 2);
      return roiLoss(evidence, tf.concat([half, half]) as tf.Tensor3D, tf.tensor1d([1, 1]));
    }, vars);
    expect(value.dataSync()[0]).toBeGreaterThan(0);
    const norms = Object.fromEntries(
      Object.entries(grads).map(([name, g]) => [name, tf.tidy(() => tf.norm(g).dataSync()[0] ?? NaN)]),
    );
    for (const [name, norm] of Object.entries(norms)) expect(Number.isFinite(norm), name).toBe(true);
    expect(norms[compact.model.getLayer(layerNames.dense).weights[0]!.name]).toBeGreaterThan(0);
    expect(norms[compact.model.getLayer("conv2_conv").weights[0]!.name]).toBeGreaterThan(0);
    tf.dispose([value, batch, ...Object.values(grads)]);
  });
});

describe("guided batches", () => {
  it("move each mask with its image and average it over the feature grid", () => {
    const size = 32;
    // a mask image: its rotated image and its rotated mask must coincide, cell by cell
    const square = Float32Array.from({ length: size * size }, (_, i) => {
      const [y, x] = [Math.floor(i / size), i % size];
      return y >= 4 && y < 20 && x >= 8 && x < 24 ? 1 : 0;
    });
    const blank = new Float32Array(size * size);
    const data = imageFitData(
      [square, blank],
      [1, 0],
      { inputSize: [size, size], channels: 1 },
      {
        rotation: 15,
        // exposure changes images, not masks: off, so that image and mask can be compared
        augment: { gamma: 0, contrast: 0, brightness: 0, noise: 0 },
        seed: 3,
        roi: { masks: [square, undefined], grid: [4, 4] },
      },
    );
    const { x, mask, guided } = data.guidedBatch!([0, 1], true);
    const cells = tf.tidy(() => tf.avgPool(x as tf.Tensor4D, 8, 8, "valid").squeeze([3]));
    const [m, c] = [mask.dataSync(), cells.dataSync()];
    expect(mask.shape).toEqual([2, 4, 4]);
    m.forEach((v, i) => expect(v).toBeCloseTo(c[i] ?? NaN, 5));
    // rotated: some cell is only partly inside
    expect(Array.from(m.slice(0, 16)).some((v) => v > 0.05 && v < 0.95)).toBe(true);
    expect(Array.from(guided.dataSync())).toEqual([1, 0]);
    expect(Array.from(m.slice(16)).every((v) => v === 0)).toBe(true);
    tf.dispose([x, mask, guided, cells]);
  });
});

describe("pooledFeatureLayer", () => {
  it("is the compact model's Grad-CAM target layer", () => {
    expect(pooledFeatureLayer(compact).name).toBe(compact.targetLayer);
  });
});
