import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../src/backend";
import { buildClassifier } from "../src/models/classifier";
import { runLayers } from "../src/models/graph";

type Arrays = number[][];

/** Runs fn on a backend and returns its outputs as plain arrays. */
async function on(backend: string, fn: () => tf.Tensor[]): Promise<Arrays> {
  await tf.setBackend(backend);
  const outs = tf.tidy(fn);
  const data = await Promise.all(outs.map(async (t) => Array.from(await t.data())));
  tf.dispose(outs);
  return data;
}

function seeded(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform(shape, -1, 1, "float32", seed);
}

function expectClose(actual: Arrays, expected: Arrays, tol = 1e-4): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    expect(a.length).toBe(e.length);
    const scale = Math.max(1, ...e.map(Math.abs));
    let worst = 0;
    a.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - e[j]!))));
    expect(worst / scale).toBeLessThan(tol);
  });
}

async function compare(fn: () => tf.Tensor[]): Promise<void> {
  const reference = await on("cpu", fn);
  const before = tf.memory().numTensors;
  const actual = await on("wasm", fn);
  expect(tf.memory().numTensors).toBe(before);
  expectClose(actual, reference);
}

beforeAll(async () => {
  await initBackend("wasm");
});

describe("wasm gradient kernels against the cpu backend", () => {
  const convCases = [
    { x: [2, 9, 9, 3], f: [3, 3, 3, 4], strides: 1, pad: "same" },
    { x: [2, 10, 11, 3], f: [3, 3, 3, 5], strides: 2, pad: "same" },
    { x: [1, 12, 12, 2], f: [5, 5, 2, 3], strides: 2, pad: "valid" },
    { x: [3, 7, 8, 4], f: [1, 1, 4, 6], strides: 1, pad: "valid" },
    { x: [1, 13, 13, 1], f: [7, 7, 1, 2], strides: [2, 3], pad: "same" },
  ] as const;
  it.each(convCases)("conv2d gradients for x=$x f=$f stride=$strides pad=$pad", async (c) => {
    await compare(() => {
      const x = seeded([...c.x], 1) as tf.Tensor4D;
      const f = seeded([...c.f], 2) as tf.Tensor4D;
      const loss = (xx: tf.Tensor, ff: tf.Tensor) => {
        const y = tf.conv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, c.strides as [number, number], c.pad);
        return tf.sum(tf.mul(y, seeded(y.shape, 3)));
      };
      return tf.grads(loss)([x, f]);
    });
  });

  it.each(convCases)("conv2dTranspose (Conv2DBackpropInput, replaced on wasm) for x=$x f=$f", async (c) => {
    await compare(() => {
      const f = seeded([...c.f], 20) as tf.Tensor4D;
      const y = tf.conv2d(seeded([...c.x], 21) as tf.Tensor4D, f, c.strides as [number, number], c.pad);
      return [
        tf.conv2dTranspose(
          seeded(y.shape, 22) as tf.Tensor4D,
          f,
          [...c.x] as [number, number, number, number],
          c.strides as [number, number],
          c.pad,
        ),
      ];
    });
  });

  it("conv2d layer with bias and relu (fused path) trains the same on both backends", async () => {
    await compare(() => {
      const x = seeded([2, 8, 8, 3], 4) as tf.Tensor4D;
      const f = seeded([3, 3, 3, 4], 5) as tf.Tensor4D;
      const b = seeded([4], 6) as tf.Tensor1D;
      const g = tf.grads((ff: tf.Tensor, bb: tf.Tensor) =>
        tf.sum(
          tf.fused.conv2d({
            x,
            filter: ff as tf.Tensor4D,
            bias: bb,
            strides: 1,
            pad: "same",
            activation: "relu",
          }),
        ),
      );
      return g([f, b]);
    });
  });

  const depthwiseCases = [
    { x: [2, 9, 9, 3], f: [3, 3, 3, 1], strides: 1, dilations: 1, pad: "same" },
    { x: [1, 10, 11, 2], f: [3, 3, 2, 2], strides: 2, dilations: 1, pad: "same" },
    { x: [2, 12, 12, 2], f: [3, 3, 2, 3], strides: 1, dilations: 1, pad: "valid" },
    { x: [1, 11, 11, 4], f: [5, 5, 4, 1], strides: 2, dilations: 1, pad: "valid" },
  ] as const;
  it.each(depthwiseCases)(
    "depthwise gradients for x=$x f=$f stride=$strides dilation=$dilations pad=$pad",
    async (c) => {
      await compare(() => {
        const x = seeded([...c.x], 7) as tf.Tensor4D;
        const f = seeded([...c.f], 8) as tf.Tensor4D;
        const loss = (xx: tf.Tensor, ff: tf.Tensor) => {
          const y = tf.depthwiseConv2d(
            xx as tf.Tensor4D,
            ff as tf.Tensor4D,
            c.strides,
            c.pad,
            "NHWC",
            c.dilations,
          );
          return tf.sum(tf.mul(y, seeded(y.shape, 9)));
        };
        return tf.grads(loss)([x, f]);
      });
    },
  );

  it("gather's gradient (UnsortedSegmentSum) including repeated indices", async () => {
    await compare(() => {
      const table = seeded([6, 4], 10);
      const idx = tf.tensor1d([0, 3, 3, 5, 1, 3], "int32");
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, idx), seeded([6, 4], 11))));
      return [g(table), tf.unsortedSegmentSum(seeded([5, 3], 12), tf.tensor1d([2, 0, 2, -1, 1], "int32"), 4)];
    });
  });

  it("matMul with transposed operands (rewritten on wasm) matches", async () => {
    await compare(() => {
      const a = seeded([2, 5, 7], 13);
      const b = seeded([2, 6, 5], 14);
      return [
        tf.matMul(a, b, true, true),
        tf.matMul(seeded([30, 20], 15), seeded([30, 10], 16), true, false),
      ];
    });
  });

  it("the whole compact model: the gradient of every weight matches", async () => {
    const c = await buildClassifier({ classes: ["a", "b", "c"], seed: 1 });
    const vars = c.model.trainableWeights.map((w) => w.read() as tf.Variable);
    try {
      await compare(() => {
        const x = tf.randomUniform([2, 224, 224, 1], 0, 1, "float32", 5);
        const y = tf.oneHot(tf.tensor1d([0, 2], "int32"), 3);
        // inference mode: dropout would draw different masks on the two backends
        const loss = (): tf.Scalar =>
          tf.losses.softmaxCrossEntropy(
            y,
            runLayers(c.model, [x], ["logits"], { training: false })[0]!,
          ) as tf.Scalar;
        const { value, grads } = tf.variableGrads(loss, vars);
        return [value, ...Object.values(grads)];
      });
    } finally {
      c.model.dispose();
    }
  });
});
