// Batched inference: class probabilities and head embeddings for decoded images.
import * as tf from "@tensorflow/tfjs";
import { type GrayImage } from "./image/gray-image";
import { type Classifier, embeddingSize, outputOf } from "./models/classifier";
import { layerNames } from "./models/head";
import { preprocess } from "./preprocess";

/** Class probabilities per image, in the classifier's class order. */
export async function predict(
  classifier: Classifier,
  images: readonly GrayImage[],
  batchSize = 16,
): Promise<Float32Array[]> {
  const k = classifier.classes.length;
  const out: Float32Array[] = [];
  for (let start = 0; start < images.length; start += batchSize) {
    const probs = tf.tidy(
      () =>
        classifier.model.predict(preprocess(images.slice(start, start + batchSize), classifier)) as tf.Tensor,
    );
    const data = (await probs.data()) as Float32Array;
    probs.dispose();
    for (let i = 0; i < data.length / k; i++) out.push(data.slice(i * k, (i + 1) * k));
  }
  return out;
}

/** Backbone embeddings (the head's input) as one row-major matrix [images, embeddingSize]. */
export async function embed(
  classifier: Classifier,
  images: readonly GrayImage[],
  batchSize = 16,
): Promise<Float32Array> {
  const size = embeddingSize(classifier);
  const sub = outputOf(classifier, layerNames.embedding);
  const out = new Float32Array(images.length * size);
  for (let start = 0; start < images.length; start += batchSize) {
    const e = tf.tidy(
      () => sub.predict(preprocess(images.slice(start, start + batchSize), classifier)) as tf.Tensor,
    );
    out.set((await e.data()) as Float32Array, start * size);
    e.dispose();
  }
  return out;
}
