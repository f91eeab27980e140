// Adapters from examples to the training loop: resized images (augmented on the fly) or cached embeddings.
import * as tf from "@tensorflow/tfjs";
import {
  type AugmentOptions,
  expose,
  identityPose,
  isIdentity,
  isNeutralExposure,
  type Pose,
  resolveAugment,
  sampleExposure,
  samplePose,
  warp,
} from "../augment";
import { type InputSpec, toBatch } from "../preprocess";
import { createRng } from "../rng";
import { type FitData } from "./fit";

export interface ImageFitOptions {
  /** largest rotation in degrees (default 15); kept beside `augment` for the callers that set only this */
  rotation?: number;
  /** the rest of the augmentation (augment.ts); default `defaultAugment` */
  augment?: Partial<AugmentOptions>;
  seed?: number;
  /**
   * Lesion masks at the input size (undefined where an example has none) and the feature grid to compare them on:
   * with them, `guidedBatch` also gives each batch its masks, moved with their images and averaged per cell.
   */
  roi?: { masks: readonly (Float32Array | undefined)[]; grid: [number, number] };
}

export function imageFitData(
  images: readonly Float32Array[],
  labels: readonly number[],
  spec: InputSpec,
  options: ImageFitOptions = {},
): FitData {
  const rng = createRng(options.seed ?? 7);
  const augment = resolveAugment(options.augment, options.rotation);
  const [h, w] = spec.inputSize;
  const poses = (indices: readonly number[], on: boolean) =>
    indices.map(() => (on ? samplePose(rng, augment, h, w) : identityPose));
  const moved = (im: Float32Array, pose: Pose) => (isIdentity(pose) ? im : warp(im, h, w, pose));
  // exposure changes the image only, never its mask
  const inputs = (indices: readonly number[], placed: readonly Pose[], on: boolean) =>
    toBatch(
      indices.map((i, j) => {
        const im = moved(images[i] as Float32Array, placed[j] ?? identityPose);
        if (!on) return im;
        // a neutral exposure would copy every pixel through pow() for nothing (a millisecond an image)
        const e = sampleExposure(rng, augment);
        return isNeutralExposure(e) ? im : expose(im, e, rng);
      }),
      spec,
    );
  const roi = options.roi;
  const data: FitData = {
    count: images.length,
    labels,
    batch: (indices, on) => inputs(indices, poses(indices, on), on),
  };
  if (!roi) return data;
  const empty = new Float32Array(h * w);
  return {
    ...data,
    guidedBatch: (indices, on) => {
      const placed = poses(indices, on);
      const x = inputs(indices, placed, on);
      const masks = indices.map((i) => roi.masks[i]);
      const flat = new Float32Array(indices.length * h * w);
      masks.forEach((m, j) => flat.set(m ? moved(m, placed[j] ?? identityPose) : empty, j * h * w));
      const [mask, guided] = tf.tidy(() => {
        const full = tf.tensor4d(flat, [indices.length, h, w, 1]);
        const [fy, fx] = [h / roi.grid[0], w / roi.grid[1]];
        // a cell's value: the share of its pixels inside the mask (an area average where the grid divides the input)
        const pooled =
          Number.isInteger(fy) && Number.isInteger(fx)
            ? tf.avgPool(full, [fy, fx], [fy, fx], "valid")
            : tf.image.resizeBilinear(full, roi.grid, false, true);
        return [
          tf.clipByValue(pooled.squeeze([3]), 0, 1) as tf.Tensor3D,
          tf.tensor1d(masks.map((m) => (m ? 1 : 0))),
        ];
      });
      return { x, mask, guided };
    },
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
