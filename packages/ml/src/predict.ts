// Batched inference: class probabilities and head embeddings for decoded images.
import * as tf from "@tensorflow/tfjs";
import { type GrayImage } from "./image/gray-image";
import { type Classifier, embeddingSize, outputOf } from "./models/classifier";
import { runLayers } from "./models/graph";
import { layerNames } from "./models/head";
import { backboneOutputs } from "./onnx/backbone";
import { type FeatureMemo } from "./onnx/feature-memo";
import { preprocess } from "./preprocess";

/**
 * One layer's output for a batch (the caller disposes it): the backbone on ONNX Runtime where it can
 * (onnx/backbone.ts), the rest in tfjs from its feature maps; otherwise the whole model in tfjs.
 */
export async function forward(
  classifier: Classifier,
  batch: tf.Tensor4D,
  layer: string = layerNames.probs,
): Promise<tf.Tensor> {
  const known = await backboneOutputs(classifier, batch, classifier.targetLayer);
  if (!known) return tf.tidy(() => outputOf(classifier, layer).predict(batch) as tf.Tensor);
  try {
    return tf.tidy(() => runLayers(classifier.model, [batch], [layer], { known })[0] as tf.Tensor);
  } finally {
    tf.dispose([...known.values()]);
  }
}

async function batched(
  classifier: Classifier,
  images: readonly GrayImage[],
  batchSize: number,
  layer: string,
  use: (data: Float32Array, start: number) => void,
): Promise<void> {
  for (let start = 0; start < images.length; start += batchSize) {
    const batch = preprocess(images.slice(start, start + batchSize), classifier);
    try {
      const out = await forward(classifier, batch, layer);
      use((await out.data()) as Float32Array, start);
      out.dispose();
    } finally {
      batch.dispose();
    }
  }
}

/** Class probabilities per image, in the classifier's class order. */
export async function predict(
  classifier: Classifier,
  images: readonly GrayImage[],
  batchSize = 16,
): Promise<Float32Array[]> {
  const k = classifier.classes.length;
  const out: Float32Array[] = [];
  await batched(classifier, images, batchSize, layerNames.probs, (data) => {
    for (let i = 0; i < data.length / k; i++) out.push(data.slice(i * k, (i + 1) * k));
  });
  return out;
}

/** Backbone embeddings (the head's input) as one row-major matrix [images, embeddingSize]. */
export async function embed(
  classifier: Classifier,
  images: readonly GrayImage[],
  batchSize = 16,
): Promise<Float32Array> {
  const size = embeddingSize(classifier);
  const out = new Float32Array(images.length * size);
  await batched(classifier, images, batchSize, layerNames.embedding, (data, start) =>
    out.set(data, start * size),
  );
  return out;
}

export interface PredictionsWithEmbeddings {
  probs: Float32Array[];
  /** row-major [images, embeddingSize] */
  embeddings: Float32Array;
}

/**
 * Probabilities and embeddings from one pass per batch. With a memo, and the backbone on ONNX Runtime, each image's
 * backbone outputs are kept there for a Grad-CAM of the same images that follows (onnx/feature-memo.ts).
 */
export async function predictWithEmbeddings(
  classifier: Classifier,
  images: readonly GrayImage[],
  options: { batchSize?: number; memo?: FeatureMemo } = {},
): Promise<PredictionsWithEmbeddings> {
  const k = classifier.classes.length;
  const size = embeddingSize(classifier);
  const batchSize = options.batchSize ?? 16;
  const probs: Float32Array[] = [];
  const embeddings = new Float32Array(images.length * size);
  for (let start = 0; start < images.length; start += batchSize) {
    const slice = images.slice(start, start + batchSize);
    const batch = preprocess(slice, classifier);
    const known = await backboneOutputs(classifier, batch, classifier.targetLayer);
    try {
      const [p, e] = tf.tidy(() =>
        runLayers(
          classifier.model,
          [batch],
          [layerNames.probs, layerNames.embedding],
          known ? { known } : {},
        ),
      ) as [tf.Tensor, tf.Tensor];
      const [pData, eData] = (await Promise.all([p.data(), e.data()])) as [Float32Array, Float32Array];
      tf.dispose([p, e]);
      for (let i = 0; i < slice.length; i++) probs.push(pData.slice(i * k, (i + 1) * k));
      embeddings.set(eData, start * size);
      if (known && options.memo) await options.memo.keep(slice, classifier.targetLayer, known);
    } finally {
      if (known) tf.dispose([...known.values()]);
      batch.dispose();
    }
  }
  return { probs, embeddings };
}
