// Exact batch-normalisation statistics after training ("precise BN", Wu & Johnson 2021). At the report's batch of
// 8 the moving averages are a noisy, recent-biased estimate; a model whose evidence is a small shift of a pooled
// feature (a small lesion) then classifies worse at inference than in training. Recomputing every layer's mean and
// variance over the training images, layer by layer in order, gives the statistics inference should use.
import * as tf from "@tensorflow/tfjs";
import { runLayers } from "../models/graph";

/** Names of the model's batch-normalisation layers, in execution order. */
export function batchNormLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.filter((l) => l.getClassName() === "BatchNormalization");
}

export interface RecomputeOptions {
  /**
   * Keep each batch's input to the previous batch-normalisation layer and start the next layer's pass from it, so
   * the whole recomputation costs about one forward pass instead of one partial pass per layer (on the compact
   * model, 45% of the work). For a few batches (the per-epoch sample): it holds one layer's inputs of all of them.
   * `batches()` must then give the same batches in the same order every time.
   */
  chain?: boolean;
}

/**
 * Sets each batch-normalisation layer's moving mean and variance to the population statistics of its input over
 * the given batches (each a model input; the caller keeps ownership). Later layers see the earlier layers' new
 * statistics, as they will at inference.
 */
export async function recomputeBatchNormStatistics(
  model: tf.LayersModel,
  batches: () => Iterable<tf.Tensor>,
  options: RecomputeOptions = {},
): Promise<number> {
  const layers = batchNormLayers(model);
  // the previous layer's input per batch (with `chain`): the next pass runs from there
  let kept: { layer: string; inputs: tf.Tensor[] } | null = null;
  // this layer's inputs so far (disposed on failure too)
  let inputs: tf.Tensor[] = [];
  try {
    for (const layer of layers) {
      const inbound = layer.inboundNodes[0]?.inboundLayers[0];
      if (!inbound) throw new Error(`batch normalisation ${layer.name} has no input layer`);
      const axis = Number((layer.getConfig().axis as number | number[] | undefined) ?? -1);
      let sum: Float64Array | undefined;
      let sq: Float64Array | undefined;
      let count = 0;
      inputs = [];
      let index = 0;
      for (const batch of batches()) {
        const from = kept?.inputs[index++];
        const known = kept && from ? new Map([[kept.layer, from]]) : undefined;
        const [x, s, q, n] = tf.tidy(() => {
          const x = runLayers(model, [batch], [inbound.name], {
            training: false,
            ...(known ? { known } : {}),
          })[0] as tf.Tensor;
          const channelAxis = axis < 0 ? x.rank + axis : axis;
          const reduce = Array.from({ length: x.rank }, (_, i) => i).filter((i) => i !== channelAxis);
          return [
            options.chain ? tf.keep(x) : null,
            tf.sum(x, reduce),
            tf.sum(tf.square(x), reduce),
            x.size / (x.shape[channelAxis] ?? 1),
          ] as const;
        });
        if (x) inputs.push(x);
        const sv = await s.data();
        const qv = await q.data();
        tf.dispose([s, q]);
        sum ??= new Float64Array(sv.length);
        sq ??= new Float64Array(sv.length);
        for (let c = 0; c < sv.length; c++) {
          sum[c] = (sum[c] as number) + (sv[c] as number);
          sq[c] = (sq[c] as number) + (qv[c] as number);
        }
        count += n;
      }
      if (kept) tf.dispose(kept.inputs);
      kept = options.chain ? { layer: inbound.name, inputs } : null;
      inputs = [];
      if (!sum || !sq || count === 0)
        throw new Error("no batches to compute batch-normalisation statistics from");
      const mean = Float32Array.from(sum, (v) => v / count);
      const variance = Float32Array.from(sq, (v, c) => Math.max(0, v / count - (mean[c] as number) ** 2));
      const [gamma, beta] = layer.getWeights();
      if (!gamma || !beta) throw new Error(`batch normalisation ${layer.name} has no scale and offset`);
      tf.tidy(() => layer.setWeights([gamma, beta, tf.tensor1d(mean), tf.tensor1d(variance)]));
    }
  } finally {
    tf.dispose(inputs);
    if (kept) tf.dispose(kept.inputs);
  }
  return layers.length;
}
