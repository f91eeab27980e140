// The backbones on ONNX Runtime compute what tfjs computes: the exported graph's outputs, Grad-CAM maps, and a
// stored model version's predictions, for all four architectures (small inputs keep the run short; one VGG16 at
// its real 224x224). Batch normalisation gets random statistics first, so its export is really exercised.
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import * as ort from "onnxruntime-node";
import { afterAll, describe, expect, it } from "vitest";
import { splitByPatient } from "../src/data/split";
import { gradCam } from "../src/gradcam/gradcam";
import { type Arch } from "../src/models/arch";
import { buildClassifier, type Classifier, disposeClassifier, outputOf } from "../src/models/classifier";
import { runLayers } from "../src/models/graph";
import { loadModelVersion, writeModelVersion } from "../src/model-version";
import { backboneOutputs, releaseBackboneSessions } from "../src/onnx/backbone";
import { exportBackbone } from "../src/onnx/export";
import { createRng } from "../src/rng";
import { FeatureMemo } from "../src/onnx/feature-memo";
import { embed, predict, predictWithEmbeddings } from "../src/predict";
import { preprocess } from "../src/preprocess";
import { useWasmAndTempDir } from "./learned";

const tmp = useWasmAndTempDir("cxr-onnx-");
afterAll(() => releaseBackboneSessions());

const archs: Arch[] = ["compact", "vgg16", "densenet121", "resnet50"];

/** max |a - b| / max |b|: the relative error */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  expect(scale).toBeGreaterThan(0);
  return diff / scale;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  for (let i = 0; i < b.length; i++) diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
  return diff;
}

/** Random but plausible batch-normalisation weights: scale, shift, mean and a positive variance per channel. */
function randomiseBatchNorm(c: Classifier, seed: number): void {
  const rng = createRng(seed);
  for (const layer of c.model.layers) {
    if (layer.getClassName() !== "BatchNormalization") continue;
    layer.setWeights(
      layer.getWeights().map((w, i, all) => {
        const values = Float32Array.from({ length: w.size }, () =>
          i === all.length - 1 ? 0.5 + rng.next() : 0.3 * rng.normal() + (i === 0 ? 1 : 0),
        );
        return tf.tensor(values, w.shape);
      }),
    );
  }
}

async function model(arch: Arch, inputSize: number): Promise<Classifier> {
  const c = await buildClassifier({ arch, classes: ["normal", "pneumonia", "covid-19"], seed: 5, inputSize });
  randomiseBatchNorm(c, 11);
  return c;
}

async function compareExport(c: Classifier, batch: tf.Tensor4D): Promise<string[]> {
  const graph = exportBackbone(c.model, c.targetLayer);
  const session = await ort.InferenceSession.create(graph.bytes, { graphOptimizationLevel: "all" });
  try {
    const results = await session.run({
      [graph.input]: new ort.Tensor("float32", (await batch.data()) as Float32Array, batch.shape),
    });
    const expected = tf.tidy(() => runLayers(c.model, [batch], graph.outputs));
    for (const [i, name] of graph.outputs.entries()) {
      const got = results[name];
      const want = expected[i] as tf.Tensor;
      expect(got?.dims).toEqual(want.shape);
      expect(
        relativeError(got?.data as Float32Array, (await want.data()) as Float32Array),
        name,
      ).toBeLessThan(1e-4);
    }
    tf.dispose(expected);
    return graph.outputs;
  } finally {
    await session.release();
  }
}

describe("ONNX backbones", () => {
  it.each(archs)("%s: the exported backbone's outputs match tfjs within 1e-4 relative", async (arch) => {
    const c = await model(arch, 64);
    const batch = tf.randomUniform([2, 64, 64, c.channels], 0, 1, "float32", 7) as tf.Tensor4D;
    try {
      const outputs = await compareExport(c, batch);
      expect(outputs).toContain(c.targetLayer);
      // the head side reads the backbone only through these outputs
      if (arch === "densenet121") expect(outputs).toContain("conv5_block15_concat");
      if (arch === "resnet50") expect(outputs).toContain("conv5_block2_out");
    } finally {
      batch.dispose();
      disposeClassifier(c);
    }
  });

  it("vgg16 at 224x224 matches tfjs within 1e-4 relative", async () => {
    const c = await model("vgg16", 224);
    const batch = tf.randomUniform([1, 224, 224, 3], 0, 1, "float32", 8) as tf.Tensor4D;
    try {
      await compareExport(c, batch);
    } finally {
      batch.dispose();
      disposeClassifier(c);
    }
  });

  it.each(archs)(
    "%s: Grad-CAM with the backbone on ONNX Runtime gives tfjs's maps and probabilities",
    async (arch) => {
      const c = await model(arch, 64);
      const batch = tf.randomUniform([3, 64, 64, c.channels], 0, 1, "float32", 9) as tf.Tensor4D;
      try {
        const reference = await gradCam(c, batch, { classIndex: [0, 1, 2] });
        c.backboneKey = `test:${arch}`;
        const known = await backboneOutputs(c, batch, c.targetLayer);
        expect(known, "the backbone runs on ONNX Runtime").toBeDefined();
        tf.dispose([...(known?.values() ?? [])]);
        const onnx = await gradCam(c, batch, { classIndex: [0, 1, 2] });
        for (let i = 0; i < 3; i++) {
          expect(
            relativeError(onnx.probs[i] as Float32Array, reference.probs[i] as Float32Array),
          ).toBeLessThan(1e-4);
          // maps are normalised to [0, 1]: an absolute bound
          expect(maxAbsDiff(onnx.coarse[i]!.data, reference.coarse[i]!.data)).toBeLessThan(1e-3);
          expect(maxAbsDiff(onnx.maps[i]!.data, reference.maps[i]!.data)).toBeLessThan(1e-3);
        }
      } finally {
        batch.dispose();
        disposeClassifier(c);
      }
    },
  );

  it("a stored model version predicts as before: same classes, probabilities within 1e-4", async () => {
    const rng = createRng(4);
    // bright and dark, smooth and noisy: images the model sees differently
    const images = Array.from({ length: 12 }, (_, i) => ({
      width: 80,
      height: 72,
      data: Float32Array.from({ length: 80 * 72 }, (_, j) =>
        Math.min(1, ((i % 4) / 4) * ((j % 80) / 80) + (Math.floor(i / 4) / 3) * rng.next()),
      ),
    }));
    const c = await model("compact", 64);
    // sharper logits than a fresh head's, centred on these images, so the predicted class varies and means something
    const logits = c.model.getLayer("logits");
    const [kernel, bias] = logits.getWeights() as [tf.Tensor, tf.Tensor];
    logits.setWeights([tf.mul(kernel, 40), tf.zerosLike(bias)]);
    const centred = tf.tidy(() => {
      const scores = outputOf(c, "logits").predict(preprocess(images, c)) as tf.Tensor2D;
      return tf.neg(tf.mean(scores, 0));
    });
    logits.setWeights([logits.getWeights()[0] as tf.Tensor, centred]);
    const rows = Array.from({ length: 10 }, (_, i) => ({
      patientId: `p${i}`,
      label: i % 2 ? "covid-19" : "normal",
    }));
    const dir = join(tmp.dir, "version");
    await writeModelVersion(dir, {
      classifier: c,
      training: {},
      history: [],
      metrics: {},
      split: splitByPatient(rows),
    });
    disposeClassifier(c);

    const { classifier } = await loadModelVersion(dir);
    try {
      expect(classifier.backboneKey).toMatch(/^version:/);
      const onnx = await predict(classifier, images, 8);
      const tensors = tf.memory().numTensors;
      await predict(classifier, images, 8);
      expect(tf.memory().numTensors, "no tensor leaks through the ONNX path").toBe(tensors);
      const key = classifier.backboneKey;
      delete classifier.backboneKey; // the tfjs path, as before this change
      const before = await predict(classifier, images, 8);
      classifier.backboneKey = key;
      const argmax = (p: Float32Array) => p.indexOf(Math.max(...p));
      expect(new Set(before.map(argmax)).size, "the model tells images apart").toBeGreaterThan(1);
      for (const [i, p] of before.entries()) {
        expect(argmax(onnx[i] as Float32Array)).toBe(argmax(p));
        for (const [k, v] of p.entries())
          expect(Math.abs((onnx[i] as Float32Array)[k]! - v)).toBeLessThan(1e-4);
      }
    } finally {
      disposeClassifier(classifier);
    }
  });

  it.each(["compact", "densenet121"] as const)(
    "%s: probabilities, embeddings and Grad-CAM from one backbone pass match separate passes",
    async (arch) => {
      const c = await model(arch, 64);
      c.backboneKey = `test:memo:${arch}`;
      const rng = createRng(9);
      const images = Array.from({ length: 5 }, () => ({
        width: 70,
        height: 64,
        data: Float32Array.from({ length: 70 * 64 }, () => rng.next()),
      }));
      try {
        await predict(c, images.slice(0, 1)); // compiles the session before the tensor count
        const tensors = tf.memory().numTensors;
        const memo = new FeatureMemo();
        const one = await predictWithEmbeddings(c, images, { memo, batchSize: 4 });
        const probs = await predict(c, images);
        const embeddings = await embed(c, images);
        one.probs.forEach((p, i) => expect(maxAbsDiff(p, probs[i] as Float32Array)).toBeLessThan(1e-6));
        expect(relativeError(one.embeddings, embeddings)).toBeLessThan(1e-6);

        const classIndex = [0, 1, 2, 1, 0];
        const features = memo.batch(images, c.targetLayer);
        expect(features, "every image's backbone outputs were kept").toBeDefined();
        expect(memo.hits).toBe(1);
        const batch = preprocess(images, c);
        const fromMemo = await gradCam(c, batch, { classIndex, features: features! });
        const fresh = await gradCam(c, batch, { classIndex });
        batch.dispose();
        fromMemo.maps.forEach((m, i) =>
          expect(maxAbsDiff(m.data, (fresh.maps[i] as { data: Float32Array }).data)).toBeLessThan(1e-5),
        );
        expect(fromMemo.probs.map((p) => p.indexOf(Math.max(...p)))).toEqual(
          fresh.probs.map((p) => p.indexOf(Math.max(...p))),
        );
        // another layer, or an image never predicted, is not in the memo: Grad-CAM runs the backbone itself
        expect(memo.batch(images, "not-the-target")).toBeUndefined();
        const other = { ...(images[0] as (typeof images)[number]) };
        expect(memo.batch([other, ...images.slice(1)], c.targetLayer)).toBeUndefined();
        expect(tf.memory().numTensors, "the memo's tensors are all disposed").toBe(tensors);
      } finally {
        disposeClassifier(c);
      }
    },
  );

  it("without ONNX Runtime one pass still gives both, and nothing is kept", async () => {
    const c = await model("compact", 64);
    const images = [{ width: 64, height: 64, data: new Float32Array(64 * 64).fill(0.4) }];
    const memo = new FeatureMemo();
    try {
      // no backboneKey: the backbone runs in tfjs
      const one = await predictWithEmbeddings(c, images, { memo });
      expect(
        maxAbsDiff(one.probs[0] as Float32Array, (await predict(c, images))[0] as Float32Array),
      ).toBeLessThan(1e-6);
      expect(memo.batch(images, c.targetLayer)).toBeUndefined();
    } finally {
      disposeClassifier(c);
    }
  });

  it("ML_ONNX=off keeps the backbone in tfjs", async () => {
    const c = await model("compact", 64);
    c.backboneKey = "test:off";
    const batch = tf.zeros([1, 64, 64, 1]) as tf.Tensor4D;
    const before = process.env.ML_ONNX;
    process.env.ML_ONNX = "off";
    try {
      expect(await backboneOutputs(c, batch, c.targetLayer)).toBeUndefined();
    } finally {
      if (before === undefined) delete process.env.ML_ONNX;
      else process.env.ML_ONNX = before;
      batch.dispose();
      disposeClassifier(c);
    }
  });
});
