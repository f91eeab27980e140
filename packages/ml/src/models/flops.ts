// Multiply-accumulates per image of a model's convolutions and dense layers (everything else is negligible),
// for reporting achieved GFLOP/s.
import type * as tf from "@tensorflow/tfjs";

export function macsPerImage(model: tf.LayersModel): number {
  let macs = 0;
  for (const layer of model.layers) {
    const kind = layer.getClassName();
    // found by rank, not by name: tfjs suffixes weight names (kernel_1) once another model has used them
    const rank = kind === "Dense" ? 2 : 4;
    const kernel = layer.weights.find((w) => w.shape.length === rank);
    if (!kernel) continue;
    const out = layer.outputShape as number[];
    const k = kernel.shape as number[];
    const taps = k.reduce((a, v) => a * v, 1);
    if (kind === "Conv2D" || kind === "DepthwiseConv2D") macs += (out[1] ?? 0) * (out[2] ?? 0) * taps;
    else if (kind === "Dense") macs += taps;
  }
  return macs;
}
