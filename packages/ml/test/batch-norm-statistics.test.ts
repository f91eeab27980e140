import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../src/backend";
import { recomputeBatchNormStatistics } from "../src/train/batch-norm-statistics";

beforeAll(async () => {
  await initBackend("wasm");
});

describe("precise batch-normalisation statistics", () => {
  it("sets every layer's moving moments to its input's population moments, in order", async () => {
    const input = tf.input({ shape: [6, 6, 1] });
    // a 3x3 "same" convolution with a seeded initialiser, so every run starts from the same kernels
    const conv = (name: string, filters: number, seed: number, from: tf.SymbolicTensor) =>
      tf.layers
        .conv2d({
          filters,
          kernelSize: 3,
          padding: "same",
          name,
          kernelInitializer: tf.initializers.glorotUniform({ seed }),
        })
        .apply(from) as tf.SymbolicTensor;
    const conv1 = conv("c1", 3, 1, input);
    const bn1 = tf.layers.batchNormalization({ name: "bn1" }).apply(conv1) as tf.SymbolicTensor;
    const conv2 = conv("c2", 2, 2, bn1);
    const bn2 = tf.layers.batchNormalization({ name: "bn2" }).apply(conv2) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: bn2 });
    model
      .getLayer("bn1")
      .setWeights([tf.tensor1d([2, 1, 0.5]), tf.tensor1d([0.1, 0, -0.1]), tf.zeros([3]), tf.ones([3])]);
    const batches = [0, 1, 2].map((i) => tf.randomUniform([4, 6, 6, 1], 0, 5, "float32", i));
    const before = tf.memory().numTensors;
    const count = await recomputeBatchNormStatistics(model, () => batches);
    expect(count).toBe(2);
    expect(tf.memory().numTensors).toBe(before);

    const all = tf.concat(batches);
    const check = (layer: string, inputOf: tf.Tensor) => {
      const { mean, variance } = tf.moments(inputOf, [0, 1, 2]);
      const [, , movingMean, movingVar] = model.getLayer(layer).getWeights();
      Array.from(movingMean!.dataSync()).forEach((v, c) => expect(v).toBeCloseTo(mean.dataSync()[c]!, 4));
      Array.from(movingVar!.dataSync()).forEach((v, c) => expect(v).toBeCloseTo(variance.dataSync()[c]!, 3));
    };
    const c1 = tf.model({ inputs: input, outputs: conv1 }).predict(all) as tf.Tensor;
    check("bn1", c1);
    // the second layer's input went through the first layer with its new statistics
    const c2 = tf.model({ inputs: input, outputs: conv2 }).predict(all) as tf.Tensor;
    check("bn2", c2);
    tf.dispose([...batches, all, c1, c2]);
    model.dispose();
  });

  it("gives the same statistics chained (each layer's pass from the previous layer's input), holding nothing after", async () => {
    const build = () => {
      const input = tf.input({ shape: [6, 6, 1] });
      let x: tf.SymbolicTensor = input;
      for (const [i, filters] of [3, 4, 2].entries()) {
        x = tf.layers
          .conv2d({
            filters,
            kernelSize: 3,
            padding: "same",
            name: `c${i}`,
            kernelInitializer: tf.initializers.glorotUniform({ seed: i + 1 }),
          })
          .apply(x) as tf.SymbolicTensor;
        x = tf.layers.batchNormalization({ name: `bn${i}` }).apply(x) as tf.SymbolicTensor;
        x = tf.layers.activation({ activation: "relu", name: `r${i}` }).apply(x) as tf.SymbolicTensor;
      }
      return tf.model({ inputs: input, outputs: x });
    };
    const batches = [0, 1].map((i) => tf.randomUniform([4, 6, 6, 1], 0, 5, "float32", i + 10));
    const [plain, chained] = [build(), build()];
    await recomputeBatchNormStatistics(plain, () => batches);
    const before = tf.memory().numTensors;
    // a fresh generator each pass, as training gives it: the same batches in the same order
    let passes = 0;
    const count = await recomputeBatchNormStatistics(
      chained,
      function* () {
        passes++;
        yield* batches;
      },
      { chain: true },
    );
    expect(count).toBe(3);
    expect(passes).toBe(3);
    expect(tf.memory().numTensors).toBe(before);
    for (const layer of ["bn0", "bn1", "bn2"]) {
      const [, , mean, variance] = plain.getLayer(layer).getWeights();
      const [, , chainedMean, chainedVariance] = chained.getLayer(layer).getWeights();
      expect(Array.from(chainedMean!.dataSync())).toEqual(Array.from(mean!.dataSync()));
      expect(Array.from(chainedVariance!.dataSync())).toEqual(Array.from(variance!.dataSync()));
    }
    tf.dispose(batches);
    plain.dispose();
    chained.dispose();
  });
});
