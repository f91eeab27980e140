// From a data-set folder to a model version folder: patient-level split (test locked), training (full, or the
// head on cached embeddings), evaluation on the locked test split, then the version folder with its checksum.
import * as tf from "@tensorflow/tfjs";
import { classIndices, readDataset } from "../data/dataset";
import { hasLesion, type LabeledImage, loadImages } from "../data/load";
import { partition, splitByPatient } from "../data/split";
import { evaluateClassifier } from "../evaluate";
import { type Arch, archSpecs } from "../models/arch";
import {
  buildClassifier,
  type Classifier,
  copyHeadWeights,
  embeddingSize,
  extractHead,
  setBackboneTrainable,
} from "../models/classifier";
import { loadModelVersion, type ModelVersion, writeModelVersion } from "../model-version";
import { resizeGray, toBatch } from "../preprocess";
import {
  cachedEmbeddings,
  emptyCache,
  readEmbeddingCache,
  writeEmbeddingCache,
  backboneDigest,
  weightsDigest,
} from "./embedding-cache";
import { recomputeBatchNormStatistics } from "./batch-norm-statistics";
import {
  evaluateLoss,
  fit,
  fitDefaults,
  type FitOptions,
  forwardTo,
  fullTrainingRate,
  seededDropout,
} from "./fit";
import { imageFitData } from "./fit-data";
import { fitHead } from "./fit-head";
import { resolveAugment, type AugmentOptions } from "../augment";
import { type EpochOptions } from "./epochs";
import { type Schedule } from "./optimizer";
import { type EpochRecord } from "./history";
import { defaultRoiWeight, roiGuidance } from "./roi-guidance";

export type TrainMode = "full" | "head";

/** The training mode a run of `arch` uses: the one asked for, else the architecture's default. */
export function trainingMode(arch: Arch, mode: TrainMode | undefined): TrainMode {
  return mode ?? archSpecs[arch].defaultMode;
}

/** Head retraining reads cached embeddings of the images as they are: an augmentation asked for would be ignored. */
export function refuseHeadAugment(mode: TrainMode, augment: Partial<AugmentOptions> | undefined): void {
  if (augment && mode === "head")
    throw new Error(
      "--augment is for full training (--mode full): head retraining reads cached embeddings of the images as they are",
    );
}

export interface TrainVersionOptions {
  dataDir: string;
  outDir: string;
  arch?: Arch;
  /** pretrained backbone (Layers model folder) */
  weightsDir?: string;
  /** continue from this model version: same classes, its locked test patients stay in test */
  fromDir?: string;
  /** the digest `fromDir` must have (its checksums.json): a version that changed on disk is refused */
  fromChecksum?: string;
  /** default: the architecture's (compact: full; transfer models: head) */
  mode?: TrainMode;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** the learning-rate schedule (train/optimizer.ts); default: fit's */
  schedule?: Schedule;
  rotation?: number;
  /** the rest of the augmentation of full training (augment.ts); default `defaultAugment` */
  augment?: Partial<AugmentOptions>;
  seed?: number;
  testFraction?: number;
  valFraction?: number;
  /**
   * Weight of ROI guidance in full training (train/roi-guidance.ts), for images with a lesion mask: the share of the
   * true class's Grad-CAM outside the mask plus -log sigmoid of the class evidence inside it. Default 0.3; 0 turns
   * it off. The history's `loss` is then the whole objective; `val_loss` stays the cross-entropy.
   */
  roiWeight?: number;
  /** folder for cached embeddings (head mode) */
  cacheDir?: string;
  onEpoch?: (record: EpochRecord) => void;
  /** called after each batch of training (full or head) */
  onStep?: EpochOptions["onStep"];
  log?: (message: string) => void;
}

export interface TrainVersionResult {
  version: ModelVersion;
  seconds: number;
  /** digest of every weight before the first step (a fine-tune's equals its parent's) */
  initialWeights: string;
}

function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/**
 * Head batch size: the report's 8 for small sets, larger for thousands of labels so an epoch stays about 32 steps
 * (per-step overhead, not arithmetic, is what a small batch costs on a CPU).
 */
export function headBatchSize(count: number): number {
  return Math.min(512, Math.max(8, Math.ceil(count / 32)));
}

/** What both training modes start from: the classifier, the split's images and the run's options. */
interface TrainingRun {
  c: Classifier;
  train: LabeledImage[];
  val: LabeledImage[];
  labels: (x: LabeledImage[]) => number[];
  o: TrainVersionOptions;
  fitOptions: FitOptions;
}

async function trainFull(
  { c, train, val, labels, o, fitOptions }: TrainingRun,
  guided: ReturnType<typeof guidanceFor>,
  augment: AugmentOptions,
) {
  setBackboneTrainable(c, true);
  const resized = (items: LabeledImage[]) => items.map((it) => resizeGray(it.image, c.inputSize));
  const seed = o.seed ?? 42;
  const trainImages = resized(train);
  const valData = val.length > 0 ? imageFitData(resized(val), labels(val), c, { rotation: 0 }) : undefined;
  // the last epoch is reported once its validation figures are final (after the statistics below)
  const epochs = fitOptions.epochs ?? 15;
  const report = fitOptions.onEpoch;
  const history = await fit(
    forwardTo(c.model, "logits", seed),
    trainableVariables(c.model),
    c.classes.length,
    imageFitData(trainImages, labels(train), c, {
      augment,
      seed,
      ...(guided ? { roi: { masks: guided.masks, grid: guided.guidance.grid } } : {}),
    }),
    valData,
    {
      batchSize: o.batchSize ?? 8,
      ...fitOptions,
      onEpoch: (record) => {
        if (record.epoch < epochs) report?.(record);
      },
      ...(guided ? { guidance: guided.guidance } : {}),
    },
  );
  const layers = await recomputeBatchNormStatistics(c.model, function* () {
    for (let start = 0; start < trainImages.length; start += 32) {
      const batch = toBatch(trainImages.slice(start, start + 32), c);
      try {
        yield batch;
      } finally {
        batch.dispose();
      }
    }
  });
  const last = history.at(-1);
  if (layers > 0) {
    o.log?.(
      `batch-normalisation statistics of ${layers} layers recomputed over ${trainImages.length} images`,
    );
    // the last epoch's validation figures were measured with the moving averages: measure again
    if (last && valData)
      Object.assign(last, await evaluateLoss(forwardTo(c.model), c.classes.length, valData));
  }
  if (last) report?.(last);
  return history;
}

/** ROI guidance for full training when some training images have a lesion mask and the weight is not 0. */
function guidanceFor(c: Classifier, train: readonly LabeledImage[], o: TrainVersionOptions) {
  const weight = o.roiWeight ?? defaultRoiWeight;
  if (weight === 0 || !train.some((it) => hasLesion(it.mask))) return undefined;
  const guidance = roiGuidance(c, seededDropout((o.seed ?? 42) + 1), weight);
  if (typeof guidance === "string") {
    o.log?.(`${guidance}: training without it`);
    return undefined;
  }
  // masks are resized only once guidance will use them
  const masks = train.map((it) => (hasLesion(it.mask) ? resizeGray(it.mask, c.inputSize) : undefined));
  const count = masks.filter(Boolean).length;
  o.log?.(
    `ROI guidance (weight ${weight}) on ${count} of ${train.length} training images with a lesion mask`,
  );
  return { guidance, masks, count };
}

async function trainHead({ c, train, val, labels, o, fitOptions }: TrainingRun) {
  setBackboneTrainable(c, false);
  const size = embeddingSize(c);
  const digest = await backboneDigest(c);
  // frozen from here on: its embeddings (and later predictions) may come from a compiled ONNX backbone
  c.backboneKey = `backbone:${digest}`;
  const cache = o.cacheDir ? await readEmbeddingCache(o.cacheDir, digest, size) : emptyCache(digest, size);
  const embedAll = (items: LabeledImage[]) =>
    cachedEmbeddings(
      c,
      items.map((it) => ({ key: it.hash, image: async () => it.image })),
      cache,
    );
  const started = performance.now();
  const trainX = await embedAll(train);
  const valX = await embedAll(val);
  o.log?.(
    `embeddings: ${train.length + val.length} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  if (o.cacheDir) await writeEmbeddingCache(o.cacheDir, cache);
  const head = extractHead(c);
  try {
    const history = await fitHead(
      head,
      { x: trainX, labels: labels(train) },
      val.length > 0 ? { x: valX, labels: labels(val) } : undefined,
      { batchSize: o.batchSize ?? headBatchSize(train.length), ...fitOptions },
    );
    copyHeadWeights(head, c.model);
    return history;
  } finally {
    head.dispose();
  }
}

export async function trainModelVersion(o: TrainVersionOptions): Promise<TrainVersionResult> {
  const started = performance.now();
  const rows = await readDataset(o.dataDir);
  let previous: { classifier: Classifier; version: ModelVersion } | undefined;
  if (o.fromDir) previous = await loadModelVersion(o.fromDir);
  if (previous && o.fromChecksum !== undefined && previous.version.digest !== o.fromChecksum) {
    previous.classifier.model.dispose();
    throw new Error(
      `${o.fromDir} does not match its checksum (expected ${o.fromChecksum}, found ${previous.version.digest})`,
    );
  }
  const arch = previous?.classifier.arch ?? o.arch ?? "compact";
  if (previous && o.arch && o.arch !== previous.classifier.arch)
    throw new Error(`--from is a ${previous.classifier.arch} model, not ${o.arch}`);
  const mode = trainingMode(arch, o.mode);
  try {
    // here, not only in the CLI: a model given with --from decides the mode
    refuseHeadAugment(mode, o.augment);
  } catch (error) {
    previous?.classifier.model.dispose();
    throw error;
  }
  // full training's augmentation, resolved once: what the run applies is what its version records
  const augment = mode === "full" ? resolveAugment(o.augment, o.rotation ?? 15) : null;
  const classes = previous?.classifier.classes ?? classIndices(rows).classes;
  if (classes.length < 2)
    throw new Error(`the data set has one class (${classes[0]}); at least two are needed`);
  const seed = o.seed ?? 42;
  const split = splitByPatient(rows, {
    seed,
    ...(o.testFraction !== undefined ? { testFraction: o.testFraction } : {}),
    ...(o.valFraction !== undefined ? { valFraction: o.valFraction } : {}),
    ...(previous
      ? {
          lockedTest: previous.version.split.test,
          seen: [...previous.version.split.train, ...previous.version.split.val],
        }
      : {}),
  });
  const parts = partition(rows, split);
  if (parts.train.length === 0) throw new Error("the split left no training images");
  o.log?.(
    `split by patient: ${parts.train.length} train, ${parts.val.length} validation, ${parts.test.length} locked test images`,
  );
  const [train, val, test] = await Promise.all([
    loadImages(parts.train, classes),
    loadImages(parts.val, classes),
    loadImages(parts.test, classes),
  ]);
  const classifier =
    previous?.classifier ??
    (await buildClassifier({ arch, classes, seed, ...(o.weightsDir ? { weightsDir: o.weightsDir } : {}) }));
  try {
    const initialWeights = await weightsDigest(classifier);
    const epochs = o.epochs ?? 15;
    // head retraining keeps the report's recipe (1e-3, time decay: train/fit-head.ts)
    const learningRate = o.learningRate ?? (mode === "full" ? fullTrainingRate : 1e-3);
    const schedule = o.schedule ?? (mode === "full" ? fitDefaults(epochs).schedule : "time-decay");
    const fitOptions: FitOptions = {
      epochs,
      learningRate,
      seed,
      schedule,
      ...(o.onEpoch ? { onEpoch: o.onEpoch } : {}),
      ...(o.onStep ? { onStep: o.onStep } : {}),
    };
    const labels = (items: LabeledImage[]) => items.map((it) => it.label);
    const trainStarted = performance.now();
    const guided = mode === "full" ? guidanceFor(classifier, train, o) : undefined;
    const run: TrainingRun = { c: classifier, train, val, labels, o, fitOptions };
    // an augmentation is resolved exactly for full training
    const history = augment ? await trainFull(run, guided, augment) : await trainHead(run);
    const trainSeconds = (performance.now() - trainStarted) / 1000;
    const metrics = test.length > 0 ? await evaluateClassifier(classifier, test) : null;
    const version = await writeModelVersion(o.outDir, {
      classifier,
      training: {
        mode,
        epochs,
        batchSize: o.batchSize ?? (mode === "full" ? 8 : headBatchSize(train.length)),
        learningRate,
        schedule,
        // a plateau schedule halves the time-decayed rate; the history's learning_rate has each epoch's
        ...(schedule !== "cosine" ? { decay: learningRate / epochs } : {}),
        optimizer: "adam",
        loss: "categorical_crossentropy",
        rotation: augment?.rotation ?? 0,
        // every change full training made to its images; head training makes none
        augment,
        roi_guidance: guided ? { weight: guided.guidance.weight, images: guided.count } : null,
        seed,
        images: { train: train.length, val: val.length, test: test.length },
        weights: o.weightsDir ?? null,
        backend: tf.getBackend(),
        seconds: trainSeconds,
      },
      history,
      metrics: metrics ? { split: "test", ...withoutPredictions(metrics) } : { split: "test", n: 0 },
      split,
      parent: previous?.version.version.id ?? null,
    });
    return { version, seconds: (performance.now() - started) / 1000, initialWeights };
  } finally {
    classifier.model.dispose();
  }
}

function withoutPredictions<T extends { predictions: unknown }>(e: T): Omit<T, "predictions"> {
  const { predictions: _predictions, ...rest } = e;
  return rest;
}
