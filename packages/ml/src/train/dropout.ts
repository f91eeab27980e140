// Inverted-dropout masks from a seeded generator: tfjs' dropout is unseeded (a seeded one repeats its mask every
// step), and reproducible training needs both to be otherwise.
import * as tf from "@tensorflow/tfjs";
import { type Rng } from "../rng";

/** Zeros with probability `rate`, 1 / (1 - rate) elsewhere. */
export function dropoutMask(shape: readonly number[], rate: number, rng: Rng): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const keep = 1 / (1 - rate);
  const m = new Float32Array(size);
  for (let i = 0; i < size; i++) m[i] = rng.next() < rate ? 0 : keep;
  return tf.tensor(m, [...shape]);
}
