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

/**
 * The given rows of a row-major matrix as a tensor, staged through `buffer` when it is big enough (the wasm backend
 * copies a tensor's values into its own memory at once, so one staging buffer can serve every batch).
 */
export function matrixRows(
  matrix: Float32Array,
  size: number,
  indices: readonly number[],
  buffer?: Float32Array,
): tf.Tensor2D {
  const n = indices.length * size;
  const out = buffer && buffer.length >= n ? buffer.subarray(0, n) : new Float32Array(n);
  indices.forEach((row, i) => out.set(matrix.subarray(row * size, (row + 1) * size), i * size));
  return tf.tensor2d(out, [indices.length, size]);
}

/** The labels of the examples `indices`, one-hot. */
export function oneHotLabels(
  labels: readonly number[],
  indices: readonly number[],
  classes: number,
): tf.Tensor2D {
  return tf.tidy(
    () =>
      tf.oneHot(
        tf.tensor1d(
          indices.map((i) => labels[i] ?? 0),
          "int32",
        ),
        classes,
      ) as tf.Tensor2D,
  );
}

/** Embeddings as one row-major matrix [count, size]. */
export function embeddingFitData(matrix: Float32Array, size: number, labels: readonly number[]): FitData {
  const count = labels.length;
  if (matrix.length !== count * size)
    throw new Error(`embedding matrix has ${matrix.length} values, expected ${count} x ${size}`);
  return { count, labels, batch: (indices) => matrixRows(matrix, size, indices) };
}
