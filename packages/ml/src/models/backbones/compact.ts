// The default model: a small CNN trained from scratch, cheap enough for prediction + Grad-CAM in a few
// milliseconds on a CPU. A strided first layer does the early downsampling at a quarter of the cost; batch
// normalisation on the later blocks keeps training from scratch moving at the report's batch size of 8 (without
// it the same net sat at chance for epochs on the phantoms).
import * as tf from "@tensorflow/tfjs";

export const compactTargetLayer = "conv4";

type T = tf.SymbolicTensor;

/** `seed` makes the initial weights reproducible. */
export function compact(input: T, seed?: number): T {
  let layerSeed = seed;
  const init = () => tf.initializers.heNormal(layerSeed === undefined ? {} : { seed: layerSeed++ });
  const block = (
    x: T,
    filters: number,
    kernelSize: number,
    strides: number,
    name: string,
    norm: boolean,
  ): T => {
    if (!norm) {
      return tf.layers
        .conv2d({
          filters,
          kernelSize,
          strides,
          padding: "same",
          activation: "relu",
          kernelInitializer: init(),
          name,
        })
        .apply(x) as T;
    }
    // the block's output (after the ReLU) carries the block's name: Grad-CAM's target is non-negative activations
    const conv = tf.layers
      .conv2d({
        filters,
        kernelSize,
        strides,
        padding: "same",
        useBias: false,
        kernelInitializer: init(),
        name: `${name}_conv`,
      })
      .apply(x) as T;
    const bn = tf.layers.batchNormalization({ momentum: 0.9, name: `${name}_bn` }).apply(conv) as T;
    return tf.layers.activation({ activation: "relu", name }).apply(bn) as T;
  };
  const pool = (x: T, name: string) =>
    tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name }).apply(x) as T;
  let x = block(input, 16, 5, 2, "conv1", false);
  x = pool(x, "pool1");
  x = block(x, 32, 3, 1, "conv2", true);
  x = pool(x, "pool2");
  x = block(x, 64, 3, 1, "conv3", true);
  x = pool(x, "pool3");
  return block(x, 96, 3, 1, compactTargetLayer, true);
}
