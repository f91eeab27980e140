// The gradient of FusedBatchNorm without materialising a tile. tfjs-core's (4.22) multiplies dy by the per-channel
// 1 / sqrt(variance + epsilon) tiled to the input's full shape, and wasm's Tile is a per-element loop: with the
// compact model's three batch-normalisation layers it took about a fifth of every training step. Broadcasting the
// per-channel vector gives the same products, value for value; the other four derivatives are tfjs-core's.
import * as tf from "@tensorflow/tfjs";

export const batchNormGradient: tf.GradConfig = {
  kernelName: tf.FusedBatchNorm,
  inputsToSave: ["x", "mean", "variance", "scale"],
  gradFunc: (dy, saved, attrs) => {
    const { varianceEpsilon } = attrs as unknown as tf.FusedBatchNormAttrs;
    const [x, mean, variance, scale] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor | undefined];
    const dyTensor = dy as tf.Tensor;
    const scaleValue = scale ?? tf.scalar(1);
    const reductionAxes = tf.backend_util.getReductionAxes(mean.shape, x.shape);
    const perChannel = mean.rank === 1;
    const xMinusMean = tf.sub(x, mean);
    const dyTimesScale = tf.mul(dyTensor, scaleValue);
    const oneOverSqrtVariance = tf.rsqrt(tf.add(variance, tf.scalar(varianceEpsilon)));
    const minusHalfRCube = tf.mul(
      tf.mul(tf.mul(oneOverSqrtVariance, oneOverSqrtVariance), oneOverSqrtVariance),
      tf.scalar(-0.5),
    );
    const reduced = (t: tf.Tensor) => tf.reshape(perChannel ? tf.sum(t, reductionAxes) : t, mean.shape);
    return {
      // the per-channel vector broadcasts along the last axis, where tfjs-core tiles it first
      x: () => tf.reshape(tf.mul(tf.mul(dyTensor, oneOverSqrtVariance), scaleValue), x.shape),
      mean: () => reduced(tf.mul(tf.mul(oneOverSqrtVariance, tf.scalar(-1)), dyTimesScale)),
      variance: () => reduced(tf.mul(tf.mul(minusHalfRCube, xMinusMean), dyTimesScale)),
      scale: () => reduced(tf.mul(dyTensor, tf.mul(xMinusMean, oneOverSqrtVariance))),
      offset: () => reduced(dyTensor),
    };
  },
};

let registered = false;

/** Replaces tfjs-core's FusedBatchNorm gradient (the registry is global: every backend uses it after this). */
export function registerBatchNormGradient(): void {
  if (registered) return;
  registered = true;
  tf.registerGradient(batchNormGradient);
}
