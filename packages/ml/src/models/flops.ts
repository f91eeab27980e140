// Multiply-accumulates per image of a model's convolutions and dense layers (everything else is negligible),
// for reporting achieved GFLOP/s.
import type * as tf from "@tensorflow/tfjs";

export function macsPerImage(model: tf.LayersModel): number {
  let macs = 0;
  for (const layer of model.layers) {
    const kernel = layer.weights.find(
      (w) => w.name.endsWith("kernel") || w.name.endsWith("depthwise_kernel"),
    );
    if (!kernel) continue;
    const out = layer.outputShape as number[];
    const k = kernel.shape as number[];
    const kind = layer.getClassName();
    if (kind === "Conv2D" && k.length === 4)
      macs += (out[1] ?? 0) * (out[2] ?? 0) * k.reduce((a, v) => a * v, 1);
    else if (kind === "DepthwiseConv2D" && k.length === 4)
      macs += (out[1] ?? 0) * (out[2] ?? 0) * k.reduce((a, v) => a * v, 1);
    else if (kind === "Dense" && k.length === 2) macs += (k[0] ?? 0) * (k[1] ?? 0);
  }
  return macs;
}
