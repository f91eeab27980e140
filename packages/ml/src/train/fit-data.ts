// Adapters from examples to the training loop: resized images (augmented on the fly) or cached embeddings.
import * as tf from "@tensorflow/tfjs";
import { randomRotation } from "../augment";
import { type InputSpec, toBatch } from "../preprocess";
import { createRng } from "../rng";
import { type FitData } from "./fit";

export function imageFitData(
  images: readonly Float32Array[],
  labels: readonly number[],
  spec: InputSpec,
  options: { rotation?: number; seed?: number } = {},
): FitData {
  const rng = createRng(options.seed ?? 7);
  const rotation = options.rotation ?? 15;
  const [h, w] = spec.inputSize;
  return {
    count: images.length,
    labels,
    batch: (indices, augment) =>
      toBatch(
        indices.map((i) => {
          const im = images[i] as Float32Array;
          return augment ? randomRotation(im, h, w, rotation, rng) : im;
        }),
        spec,
      ),
  };
}

/** Embeddings as one row-major matrix [count, size]. */
export function embeddingFitData(matrix: Float32Array, size: number, labels: readonly number[]): FitData {
  const count = labels.length;
  if (matrix.length !== count * size)
    throw new Error(`embedding matrix has ${matrix.length} values, expected ${count} x ${size}`);
  return {
    count,
    labels,
    batch: (indices) => {
      const out = new Float32Array(indices.length * size);
      indices.forEach((row, i) => out.set(matrix.subarray(row * size, (row + 1) * size), i * size));
      return tf.tensor2d(out, [indices.length, size]);
    },
  };
}
