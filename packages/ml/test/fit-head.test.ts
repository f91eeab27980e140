import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../src/backend";
import { buildHeadModel } from "../src/models/head";
import { fit, forwardTo } from "../src/train/fit";
import { embeddingFitData } from "../src/train/fit-data";
import { expectLearned } from "./learned";
import { columnMoments, crossEntropySum, fitHead, type HeadParams, headStep } from "../src/train/fit-head";

beforeAll(async () => {
  await initBackend("wasm");
});

/** Two classes whose embeddings differ in their first channel, with deterministic clutter. */
function separable(n: number, size: number) {
  const labels = Array.from({ length: n }, (_, i) => i % 2);
  const x = Float32Array.from({ length: n * size }, (_, j) => {
    const i = Math.floor(j / size);
    return 3 + (j % size === 0 && labels[i] === 1 ? 1 : 0) + ((j * 37) % 11) / 22;
  });
  return { x, labels };
}

const weightsOf = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

describe("the head's hand-written gradients", () => {
  it("equal tfjs' autodiff of the same forward pass (with a dropout mask)", () => {
    // small weights: probabilities far from the 1e-7 clip, so the loss is exactly the logits' cross-entropy
    const rand = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 0.5, "float32", seed);
    const p = {
      w1: tf.variable(rand([6, 5], 1)),
      b1: tf.variable(rand([5], 2)),
      w2: tf.variable(rand([5, 3], 3)),
      b2: tf.variable(rand([3], 4)),
    };
    const x = rand([4, 6], 5) as tf.Tensor2D;
    const y = tf.oneHot(tf.tensor1d([0, 2, 1, 2], "int32"), 3) as tf.Tensor2D;
    const mask = tf.tensor2d([2, 0, 2, 2, 0, 0, 2, 2, 2, 2, 2, 2, 0, 2, 2, 2, 2, 2, 2, 0], [4, 5]);
    // training holds fc's kernel transposed
    const step = headStep({ ...p, w1T: tf.transpose(p.w1) } satisfies HeadParams, x, y, mask);
    const reference = tf.variableGrads(() => {
      const h = tf.mul(tf.relu(tf.add(tf.matMul(x, p.w1), p.b1)), mask);
      const logits = tf.add(tf.matMul(h, p.w2), p.b2);
      return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
    }, [p.w1, p.b1, p.w2, p.b2]);
    const labels = [0, 2, 1, 2];
    const probs = step.probs.dataSync();
    const sums = crossEntropySum(probs, 3, labels, [0, 1, 2, 3]);
    expect(sums.loss / 4).toBeCloseTo(reference.value.dataSync()[0]!, 5);
    const argmax = [0, 1, 2, 3].map((i) =>
      [0, 1, 2].reduce((b, c) => (probs[i * 3 + c]! > probs[i * 3 + b]! ? c : b), 0),
    );
    expect(sums.hits).toBe(argmax.filter((c, i) => c === labels[i]).length);
    for (const k of ["w1", "b1", "w2", "b2"] as const) {
      const ours = (k === "w1" ? tf.transpose(step.grads.w1T) : step.grads[k]).dataSync();
      const theirs = reference.grads[p[k].name]!.dataSync();
      expect(ours.length).toBe(theirs.length);
      ours.forEach((v, i) => expect(v).toBeCloseTo(theirs[i]!, 5));
    }
    tf.dispose([p.w1, p.b1, p.w2, p.b2, x, y, mask, step.probs, step.grads, reference.value]);
    tf.dispose(Object.values(reference.grads));
  });
});

describe("fitHead", () => {
  it("re-bases batch normalisation on the data's moments without changing the head's function", async () => {
    const size = 4;
    const { x, labels } = separable(40, size);
    const head = buildHeadModel(size, { classes: 2, batchNorm: true, seed: 9 });
    const bn = head.getLayer("head_bn");
    bn.setWeights([
      tf.tensor1d([1.5, 0.5, 2, 1]),
      tf.tensor1d([0.1, -0.2, 0.3, 0]),
      tf.tensor1d([1, 2, 3, 4]),
      tf.tensor1d([2, 0.5, 1, 3]),
    ]);
    const input = tf.tensor2d(x, [40, size]);
    const before = (head.predict(input) as tf.Tensor).dataSync();
    await fitHead(head, { x, labels }, undefined, { epochs: 1, learningRate: 0, batchSize: 8 });
    const after = (head.predict(input) as tf.Tensor).dataSync();
    after.forEach((v, i) => expect(v).toBeCloseTo(before[i]!, 5));
    const { mean, variance } = columnMoments(x, size);
    const [gamma, beta, movingMean, movingVar] = bn.getWeights().map((w) => Array.from(w.dataSync()));
    expect(gamma).toEqual([1, 1, 1, 1]);
    expect(beta).toEqual([0, 0, 0, 0]);
    movingMean!.forEach((v, j) => expect(v).toBeCloseTo(mean[j]!, 5));
    movingVar!.forEach((v, j) => expect(v).toBeCloseTo(variance[j]!, 5));
    input.dispose();
    head.dispose();
  });

  it("learns, records the report's history, leaks no tensors and repeats itself with the same seed", async () => {
    const size = 8;
    const { x, labels } = separable(200, size);
    const run = async () => {
      const head = buildHeadModel(size, { classes: 2, batchNorm: true, seed: 3 });
      const before = tf.memory().numTensors;
      const history = await fitHead(
        head,
        { x, labels },
        { x, labels },
        { epochs: 15, batchSize: 16, seed: 5 },
      );
      expect(tf.memory().numTensors).toBe(before);
      const weights = weightsOf(head);
      head.dispose();
      return { history, weights };
    };
    const a = await run();
    const b = await run();
    expectLearned(a.history, 15);
    expect(b.weights).toEqual(a.weights);
    expect(b.history.map((h) => h.loss)).toEqual(a.history.map((h) => h.loss));
  });

  it("refuses embeddings of the wrong size", async () => {
    const head = buildHeadModel(4, { classes: 2, batchNorm: false, seed: 1 });
    await expect(fitHead(head, { x: new Float32Array(10), labels: [0, 1] }, undefined)).rejects.toThrow(
      /expected 2 x 4/,
    );
    head.dispose();
  });
});

describe("seeded dropout in full training", () => {
  it("makes two runs with the same seed identical (tfjs' own dropout is unseeded)", async () => {
    const size = 8;
    const { x, labels } = separable(64, size);
    const run = async () => {
      const model = buildHeadModel(size, { classes: 2, batchNorm: false, seed: 3 });
      await fit(
        forwardTo(model, "logits", 11),
        model.trainableWeights.map((w) => w.read() as tf.Variable),
        2,
        embeddingFitData(x, size, labels),
        undefined,
        { epochs: 2, batchSize: 8 },
      );
      const weights = weightsOf(model);
      model.dispose();
      return weights;
    };
    const a = await run();
    expect(await run()).toEqual(a);
  });
});
