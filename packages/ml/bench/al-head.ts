// The benchmark's retraining: a new head (fresh seeded weights) on cached embeddings with packages/ml's head
// training (fitHead), as head-only retraining on the platform does.
import * as tf from "@tensorflow/tfjs";
import { buildHeadModel } from "../src/models/head";
import { fitHead } from "../src/train/fit-head";
import { type HeadTrainer } from "./al-core";

export function headTrainer(options: {
  size: number;
  classes: number;
  batchNorm: boolean;
  epochs: number;
}): HeadTrainer {
  let head: tf.LayersModel | undefined;
  return async (train, seed) => {
    head?.dispose();
    const model = buildHeadModel(options.size, {
      classes: options.classes,
      batchNorm: options.batchNorm,
      seed,
    });
    head = model;
    await fitHead(model, { x: train.x, labels: train.labels }, undefined, {
      epochs: options.epochs,
      seed,
      batchSize: 8,
    });
    return async (x) => {
      const rows = x.length / options.size;
      const probs = tf.tidy(() => model.predict(tf.tensor2d(x, [rows, options.size])) as tf.Tensor);
      const data = (await probs.data()) as Float32Array;
      probs.dispose();
      return Array.from({ length: rows }, (_, i) =>
        Array.from(data.subarray(i * options.classes, (i + 1) * options.classes)),
      );
    };
  };
}
