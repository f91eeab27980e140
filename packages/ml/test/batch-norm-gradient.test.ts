import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../src/backend";
import { batchNormGradient } from "../src/kernels/batch-norm-gradient";

beforeAll(async () => {
  // registers the gradient (wasm's initialisation does)
  await initBackend("wasm");
});

describe("batch normalisation's gradient without a tile", () => {
  it("gives tfjs-core's derivatives value for value, in training mode (batch moments) as the layers use it", () => {
    const x = tf.randomNormal([3, 5, 4, 6], 0, 2, "float32", 1);
    const scale = tf.randomUniform([6], 0.5, 2, "float32", 2);
    const offset = tf.randomUniform([6], -1, 1, "float32", 3);
    const weights = tf.randomNormal([3, 5, 4, 6], 0, 1, "float32", 4);
    const epsilon = 1e-3;
    // the loss a layer's training step differentiates: batch moments, then batchNorm (mean and variance depend on x)
    const loss = (input: tf.Tensor, s: tf.Tensor, o: tf.Tensor) => {
      const { mean, variance } = tf.moments(input, [0, 1, 2]);
      return tf.sum(tf.mul(tf.batchNorm(input, mean, variance, o, s, epsilon), weights));
    };
    const [dx, dscale, doffset] = tf.grads(loss)([x, scale, offset]);

    // tfjs-core's formulas (gradients/FusedBatchNorm_grad.ts), the x derivative through an explicit tile, composed
    // by hand around the same moments
    const expected = tf.tidy(() => {
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      const dy = weights;
      const r = tf.rsqrt(tf.add(variance, tf.scalar(epsilon)));
      const tiled = tf.tile(tf.reshape(r, [1, 1, 1, 6]), [3, 5, 4, 1]);
      const derX = tf.mul(tf.mul(dy, tiled), scale);
      const xMinusMean = tf.sub(x, mean);
      const dyScale = tf.mul(dy, scale);
      const derMean = tf.sum(tf.mul(tf.mul(r, tf.scalar(-1)), dyScale), [0, 1, 2]);
      const rCube = tf.mul(tf.mul(tf.mul(r, r), r), tf.scalar(-0.5));
      const derVariance = tf.sum(tf.mul(tf.mul(rCube, xMinusMean), dyScale), [0, 1, 2]);
      // the moments' own gradients carry derMean and derVariance back to x
      const n = 3 * 5 * 4;
      const viaMean = tf.div(derMean, n);
      const viaVariance = tf.mul(tf.div(tf.mul(xMinusMean, 2), n), derVariance);
      return {
        dx: tf.add(tf.add(derX, viaMean), viaVariance),
        dscale: tf.sum(tf.mul(dy, tf.mul(xMinusMean, r)), [0, 1, 2]),
        doffset: tf.sum(dy, [0, 1, 2]),
      };
    });
    expect(Array.from(dscale!.dataSync())).toEqual(Array.from(expected.dscale.dataSync()));
    expect(Array.from(doffset!.dataSync())).toEqual(Array.from(expected.doffset.dataSync()));
    const got = dx!.dataSync();
    const want = expected.dx.dataSync();
    // the path through the moments sums in the engine's order: equal to float rounding
    want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 4));
    tf.dispose([
      x,
      scale,
      offset,
      weights,
      dx!,
      dscale!,
      doffset!,
      expected.dx,
      expected.dscale,
      expected.doffset,
    ]);
  });

  it("computes the input's derivative with broadcasting, exactly as the tiled product", () => {
    const x = tf.randomNormal([2, 3, 3, 4], 0, 1, "float32", 5);
    const mean = tf.randomNormal([4], 0, 1, "float32", 6);
    const variance = tf.randomUniform([4], 0.1, 2, "float32", 7);
    const scale = tf.randomUniform([4], 0.5, 2, "float32", 8);
    const dy = tf.randomNormal([2, 3, 3, 4], 0, 1, "float32", 9);
    const derivatives = batchNormGradient.gradFunc(dy, [x, mean, variance, scale], { varianceEpsilon: 1e-3 });
    const dx = derivatives["x"]!();
    const r = tf.rsqrt(tf.add(variance, tf.scalar(1e-3)));
    const tiled = tf.mul(tf.mul(dy, tf.tile(tf.reshape(r, [1, 1, 1, 4]), [2, 3, 3, 1])), scale);
    expect(Array.from(dx.dataSync())).toEqual(Array.from(tiled.dataSync()));
    // and no Tile kernel runs for it
    const kernels: string[] = [];
    const engine = tf.engine();
    const runKernel = engine.runKernel;
    engine.runKernel = function (name, inputs, attrs) {
      kernels.push(name);
      return runKernel.call(engine, name, inputs, attrs);
    } as typeof runKernel;
    try {
      tf.dispose(
        batchNormGradient.gradFunc(dy, [x, mean, variance, scale], { varianceEpsilon: 1e-3 })["x"]!(),
      );
    } finally {
      engine.runKernel = runKernel;
    }
    expect(kernels).not.toContain("Tile");
    expect(kernels).toContain("Multiply");
    tf.dispose([x, mean, variance, scale, dy, dx, r, tiled]);
  });
});
