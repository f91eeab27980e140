import { readFile } from "node:fs/promises";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { exposureAugment } from "../src/augment";
import { buildHeadModel } from "../src/models/head";
import { readModelVersion } from "../src/model-version";
import { synthesizeDataset } from "../src/phantom/synthesize";
import { fit, forwardTo } from "../src/train/fit";
import { embeddingFitData } from "../src/train/fit-data";
import { DecayingAdam } from "../src/train/optimizer";
import { type StepProgress } from "../src/train/epochs";
import { type EpochRecord } from "../src/train/history";
import { trainModelVersion } from "../src/train/train-version";
import { expectLearned, useWasmAndTempDir } from "./learned";
import { separableEmbeddings } from "./separable";

const tmp = useWasmAndTempDir("ml-train-");

describe("optimizer", () => {
  it("follows Keras' time-based decay lr0 / (1 + decay * t)", () => {
    const opt = new DecayingAdam(1e-3, 1e-3 / 15);
    const rates = [opt.nextRate(), opt.nextRate(), opt.nextRate()];
    rates.forEach((r, t) => expect(r).toBeCloseTo(1e-3 / (1 + (1e-3 / 15) * t), 12));
    opt.dispose();
  });
});

describe("training the head on embeddings", () => {
  it("learns separable embeddings, records history, and leaks no tensors", async () => {
    const size = 8;
    const { x, labels } = separableEmbeddings(200, size);
    const head = buildHeadModel(size, { classes: 2, batchNorm: true, seed: 3 });
    const before = tf.memory().numTensors;
    const history = await fit(
      forwardTo(head),
      head.trainableWeights.map((w) => w.read() as tf.Variable),
      2,
      embeddingFitData(x, size, labels),
      embeddingFitData(x, size, labels),
      { epochs: 15, batchSize: 16 },
    );
    expect(tf.memory().numTensors).toBe(before);
    expectLearned(history, 15);
    // batch normalisation in the head learned its moving statistics (training flag reached the layer)
    const movingMean = head.getLayer("head_bn").getWeights()[2]!;
    expect(Math.max(...(await movingMean.data()))).toBeGreaterThan(0.1);
    head.dispose();
  });
});

describe("model versions from data sets", () => {
  it("trains, then retrains the head from it with the test split locked and cached embeddings", async () => {
    const data = join(tmp.dir, "data");
    await synthesizeDataset(data, { count: 40, seed: 4, size: 64 });
    const reported: EpochRecord[] = [];
    const steps: StepProgress[] = [];
    const first = await trainModelVersion({
      dataDir: data,
      outDir: join(tmp.dir, "v1"),
      epochs: 2,
      augment: exposureAugment,
      onEpoch: (r) => reported.push({ ...r }),
      onStep: (s) => steps.push(s),
    });
    expect(first.version.version.arch).toBe("compact");
    expect(first.version.history).toHaveLength(2);
    // progress reports every epoch once, the last with the validation figures the version keeps (measured after
    // the batch-normalisation statistics were recomputed)
    expect(reported.map((r) => r.epoch)).toEqual([1, 2]);
    expect(reported[1]).toEqual(first.version.history[1]);
    // every batch of both epochs reported, in order: ceil(training images / batch size 8) steps each
    const train = (first.version.version.training["images"] as { train: number }).train;
    const perEpoch = Math.ceil(train / 8);
    expect(steps).toHaveLength(2 * perEpoch);
    expect(steps.map((s) => [s.epoch, s.step])).toEqual(
      [1, 2].flatMap((epoch) => Array.from({ length: perEpoch }, (_, i) => [epoch, i + 1])),
    );
    expect(new Set(steps.map((s) => s.stepsPerEpoch))).toEqual(new Set([perEpoch]));
    // the phantoms' masks guided training
    expect(first.version.version.training["roi_guidance"]).toMatchObject({ weight: 0.3 });
    // the augmentation it trained with, recorded whole (the rotation is training's own setting, 15 by default)
    expect(first.version.version.training["augment"]).toEqual({ ...exposureAugment, rotation: 15 });
    expect(first.version.metrics).toHaveProperty("confusion_matrix");
    const cache = join(tmp.dir, "cache");
    const headSteps: StepProgress[] = [];
    const second = await trainModelVersion({
      dataDir: data,
      outDir: join(tmp.dir, "v2"),
      fromDir: join(tmp.dir, "v1"),
      mode: "head",
      epochs: 3,
      cacheDir: cache,
      seed: 9,
      batchSize: 4,
      onStep: (s) => headSteps.push(s),
    });
    const v2 = await readModelVersion(join(tmp.dir, "v2"));
    expect(v2.version.parent).toBe(first.version.version.id);
    expect(v2.version.training["mode"]).toBe("head");
    // head retraining keeps the report's recipe; full training starts higher (test/cli.test.ts)
    expect(v2.version.training).toMatchObject({ learningRate: 1e-3, schedule: "time-decay" });
    // head retraining reads cached embeddings: no augmentation, and one asked for is refused (the mode comes from the
    // model it starts from, so training itself checks, not only the CLI)
    expect(v2.version.training["augment"]).toBeNull();
    await expect(
      trainModelVersion({
        dataDir: data,
        outDir: join(tmp.dir, "v-refused"),
        fromDir: join(tmp.dir, "v1"),
        mode: "head",
        augment: exposureAugment,
      }),
    ).rejects.toThrow(/--augment is for full training/);
    for (const p of first.version.split.test) expect(v2.split.test).toContain(p);
    expect(second.version.history).toHaveLength(3);
    // the head's loop reports its batches too: 3 epochs of ceil(train / 4)
    const headTrain = (second.version.version.training["images"] as { train: number }).train;
    expect(headSteps).toHaveLength(3 * Math.ceil(headTrain / 4));
    expect(headSteps.at(-1)).toEqual({
      epoch: 3,
      step: Math.ceil(headTrain / 4),
      stepsPerEpoch: Math.ceil(headTrain / 4),
    });
    const index = JSON.parse(await readFile(join(cache, "index.json"), "utf8"));
    expect(index.keys.length).toBe(
      (first.version.version.training["images"] as { train: number; val: number }).train +
        (first.version.version.training["images"] as { val: number }).val,
    );
  });
});
