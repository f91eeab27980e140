import { writeFile, readFile } from "node:fs/promises";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { splitByPatient } from "../src/data/split";
import { archSpecs } from "../src/models/arch";
import { buildClassifier, embeddingSize } from "../src/models/classifier";
import { macsPerImage } from "../src/models/flops";
import { loadLayersModel, saveLayersModel } from "../src/models/layers-io";
import { loadModelVersion, readModelVersion, writeModelVersion } from "../src/model-version";
import { preprocess } from "../src/preprocess";
import { useWasmAndTempDir } from "./learned";

const tmp = useWasmAndTempDir("ml-models-");

const countParams = (m: tf.LayersModel, trainable?: boolean) =>
  (trainable === undefined ? m.weights : trainable ? m.trainableWeights : m.nonTrainableWeights).reduce(
    (a, w) => a + w.shape.reduce((x: number, y) => x * (y ?? 1), 1),
    0,
  );

describe("the report's transfer models", () => {
  // totals from the report's model summaries (2 classes): backbone + BN (DenseNet121, ResNet50) + Dense(64) + Dense(2)
  it.each([
    ["vgg16", 14_747_650, 32_962],
    ["densenet121", 7_107_330, 67_778],
    ["resnet50", 23_727_170, 135_362],
  ] as const)(
    "%s has the report's parameter counts (total %i, head trainable %i)",
    async (arch, total, headTrainable) => {
      const c = await buildClassifier({ arch, classes: ["covid-19", "normal"] });
      try {
        expect(countParams(c.model)).toBe(total);
        c.model.layers.forEach((l) => {
          if (!["head_bn", "fc", "logits"].includes(l.name)) l.trainable = false;
        });
        expect(countParams(c.model, true)).toBe(headTrainable);
        expect(c.model.getLayer(archSpecs[arch].targetLayer)).toBeDefined();
        expect(c.model.outputs[0]?.shape).toEqual([null, 2]);
        // multiply-adds per image, as published: VGG16 15.3 G, DenseNet121 2.8 G, ResNet50 3.9 G
        const gmacs = { vgg16: 15.35, densenet121: 2.83, resnet50: 3.86 }[arch];
        expect(macsPerImage(c.model) / 1e9).toBeCloseTo(gmacs, 1);
      } finally {
        c.model.dispose();
      }
    },
  );
});

describe("pretrained backbone weights", () => {
  it("loads a Keras-style Layers model folder (include_top=False) as the backbone, weights intact", async () => {
    const source = await buildClassifier({ arch: "densenet121", classes: ["x", "y"] });
    const backbone = tf.model({
      inputs: source.model.inputs,
      outputs: source.model.getLayer("relu").output as tf.SymbolicTensor,
    });
    const folder = join(tmp.dir, "densenet-weights");
    await saveLayersModel(backbone, folder);
    const c = await buildClassifier({
      arch: "densenet121",
      classes: ["normal", "pneumonia", "covid-19"],
      weightsDir: folder,
    });
    try {
      const a = source.model.getLayer("conv5_block16_2_conv").getWeights()[0]!;
      const b = c.model.getLayer("conv5_block16_2_conv").getWeights()[0]!;
      expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
      expect(c.model.outputs[0]?.shape).toEqual([null, 3]);
      await expect(
        buildClassifier({ arch: "compact", classes: ["a", "b"], weightsDir: folder }),
      ).rejects.toThrow(/expect input/);
    } finally {
      c.model.dispose();
      source.model.dispose();
    }
  });
});

describe("the compact default model", () => {
  it("takes one channel at 224x224, outputs any number of classes, and is small", async () => {
    const c = await buildClassifier({ classes: ["normal", "pneumonia", "covid-19", "lung opacity"] });
    try {
      expect(c.model.inputs[0]?.shape).toEqual([null, 224, 224, 1]);
      expect(c.model.outputs[0]?.shape).toEqual([null, 4]);
      expect(macsPerImage(c.model)).toBeLessThan(60e6);
      expect(embeddingSize(c)).toBe(96);
      const x = preprocess([{ width: 300, height: 250, data: new Float32Array(300 * 250).fill(0.5) }], c);
      const p = c.model.predict(x) as tf.Tensor;
      expect((await p.sum().data())[0]).toBeCloseTo(1, 5);
      tf.dispose([x, p]);
    } finally {
      c.model.dispose();
    }
    await expect(buildClassifier({ classes: ["only"] })).rejects.toThrow(/two classes/);
    await expect(buildClassifier({ classes: ["a", "a"] })).rejects.toThrow(/unique/);
  });
});

describe("preprocessing", () => {
  it("resizes, keeps [0,1], and replicates to 3 channels for the transfer backbones", () => {
    const img = { width: 2, height: 2, data: Float32Array.from([0, 1, 1, 0]) };
    const t = preprocess([img], { inputSize: [4, 4], channels: 3 });
    expect(t.shape).toEqual([1, 4, 4, 3]);
    const d = t.dataSync();
    expect(d[0]).toBe(d[1]);
    expect(d[1]).toBe(d[2]);
    expect(Math.min(...d)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...d)).toBeLessThanOrEqual(1);
    // top-left pixel is dark, top-right bright
    expect(d[0]).toBeLessThan(d[3 * 3]!);
    t.dispose();
  });
});

describe("model folders", () => {
  it("round-trips a Layers model folder with identical predictions", async () => {
    const c = await buildClassifier({ classes: ["a", "b", "c"] });
    const x = tf.randomUniform([2, 224, 224, 1], 0, 1, "float32", 2);
    try {
      await saveLayersModel(c.model, join(tmp.dir, "layers"));
      const loaded = await loadLayersModel(join(tmp.dir, "layers"));
      const [a, b] = [c.model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
      expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
      tf.dispose([a, b]);
      loaded.dispose();
    } finally {
      x.dispose();
      c.model.dispose();
    }
  });

  it("writes a model version with a checksum, reads it back, and detects tampering", async () => {
    const c = await buildClassifier({ classes: ["normal", "covid-19"] });
    const rows = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => ({
      patientId: `p${i}`,
      label: i % 2 ? "covid-19" : "normal",
    }));
    const split = splitByPatient(rows);
    const history = [
      {
        epoch: 1,
        loss: 0.5,
        accuracy: 0.8,
        val_loss: 0.6,
        val_accuracy: 0.7,
        learning_rate: 1e-3,
        seconds: 1,
      },
    ];
    const out = join(tmp.dir, "version");
    const written = await writeModelVersion(out, {
      classifier: c,
      training: { epochs: 1 },
      history,
      metrics: { accuracy: 0.9 },
      split,
    });
    c.model.dispose();
    const read = await readModelVersion(out);
    expect(read.digest).toBe(written.digest);
    expect(read.version.classes).toEqual(["normal", "covid-19"]);
    expect(read.version.targetLayer).toBe("conv4");
    expect(read.split).toEqual(split);
    expect(read.history).toEqual(history);
    const { classifier } = await loadModelVersion(out);
    expect(classifier.classes).toEqual(["normal", "covid-19"]);
    classifier.model.dispose();
    await expect(
      writeModelVersion(out, { classifier: c, training: {}, history, metrics: {}, split }),
    ).rejects.toThrow(/not empty/);
    const metricsPath = join(out, "metrics.json");
    await writeFile(metricsPath, (await readFile(metricsPath, "utf8")).replace("0.9", "0.99"));
    await expect(readModelVersion(out)).rejects.toThrow(/checksum mismatch .*metrics.json/);
    await expect(readModelVersion(join(tmp.dir, "nothing"))).rejects.toThrow(/not a model version/);
  });
});
