// The report's classification head: AveragePooling2D -> Flatten -> Dense(64, relu) -> Dropout(0.5) -> Dense(K)
// -> softmax, with the pre-softmax scores as their own layer (Grad-CAM differentiates them). The Flatten output is
// the embedding that head retraining caches; the report's BatchNormalization (DenseNet121, ResNet50) sits after it,
// which is the same function at inference (per-channel affine commutes with average pooling).
import * as tf from "@tensorflow/tfjs";

export const layerNames = {
  pool: "head_pool",
  embedding: "embedding",
  batchNorm: "head_bn",
  dense: "fc",
  dropout: "head_dropout",
  logits: "logits",
  probs: "probs",
} as const;

export interface HeadConfig {
  classes: number;
  /** reproducible initial weights (dropout masks stay random: a seeded tfjs dropout repeats its mask) */
  seed?: number;
  batchNorm: boolean;
  units?: number;
  dropout?: number;
}

type T = tf.SymbolicTensor;

/** The trainable layers after the embedding, in order. */
function headLayers(config: HeadConfig): tf.layers.Layer[] {
  const layers: tf.layers.Layer[] = [];
  if (config.batchNorm) layers.push(tf.layers.batchNormalization({ name: layerNames.batchNorm }));
  const init = (offset: number) =>
    tf.initializers.glorotUniform(config.seed === undefined ? {} : { seed: config.seed + offset });
  layers.push(
    tf.layers.dense({
      units: config.units ?? 64,
      activation: "relu",
      kernelInitializer: init(1000),
      name: layerNames.dense,
    }),
    tf.layers.dropout({ rate: config.dropout ?? 0.5, name: layerNames.dropout }),
    tf.layers.dense({ units: config.classes, kernelInitializer: init(1001), name: layerNames.logits }),
    tf.layers.activation({ activation: "softmax", name: layerNames.probs }),
  );
  return layers;
}

/** Pools and flattens features, then applies the head; returns the probabilities. */
export function attachHead(
  features: T,
  config: HeadConfig & { pool: number | "global"; poolType?: "avg" | "max" },
): T {
  const [h, w] = [features.shape[1] ?? 1, features.shape[2] ?? 1];
  const poolSize: [number, number] = config.pool === "global" ? [h, w] : [config.pool, config.pool];
  const poolArgs = { poolSize, strides: poolSize, padding: "valid" as const, name: layerNames.pool };
  const pooling =
    config.poolType === "max" ? tf.layers.maxPooling2d(poolArgs) : tf.layers.averagePooling2d(poolArgs);
  let x = pooling.apply(features) as T;
  x = tf.layers.flatten({ name: layerNames.embedding }).apply(x) as T;
  for (const layer of headLayers(config)) x = layer.apply(x) as T;
  return x;
}

/** A stand-alone head on embeddings of the given size (for training on cached embeddings). */
export function buildHeadModel(embeddingSize: number, config: HeadConfig): tf.LayersModel {
  const input = tf.input({ shape: [embeddingSize], name: "embedding_input" });
  let x: T = input;
  for (const layer of headLayers(config)) x = layer.apply(x) as T;
  return tf.model({ inputs: input, outputs: x });
}

/** Names of the head layers that carry weights. */
export const headWeightLayers = [layerNames.batchNorm, layerNames.dense, layerNames.logits] as const;
