// Head-only retraining on a parent version's frozen backbone, for a caller that keeps the embeddings itself (the
// inference service caches them in object storage): open the parent (checksum-checked), embed images, train a new
// head on embeddings, compare it with the parent's own head on embeddings, write the candidate version.
import * as tf from "@tensorflow/tfjs";
import { sha256 } from "../checksum";
import { type GrayImage } from "../image/gray-image";
import {
  type Classifier,
  copyHeadWeights,
  disposeClassifier,
  embeddingSize,
  extractHead,
} from "../models/classifier";
import { buildHeadModel } from "../models/head";
import { loadModelVersion, writeModelVersion } from "../model-version";
import { embed } from "../predict";
import { backboneDigest, weightsDigest } from "./embedding-cache";
import { fitHead } from "./fit-head";
import { type EpochOptions } from "./epochs";
import { type EpochRecord } from "./history";
import { headBatchSize } from "./train-version";

/** Bumped whenever preprocessing (resize, scaling, channel replication) changes what an embedding means. */
export const preprocessingVersion = 1;

export interface HeadFitOptions {
  epochs: number;
  seed: number;
  batchSize?: number;
  learningRate?: number;
  onEpoch?: (record: EpochRecord) => void;
  onStep?: EpochOptions["onStep"];
}

export interface HeadSession {
  /** the embedding cache's namespace: backbone weights and preprocessing (input size, channels, version) */
  readonly cacheKey: string;
  /** floats per embedding */
  readonly size: number;
  /** the parent's classes, which the new head keeps */
  readonly classes: readonly string[];
  /** digest of every weight of the parent */
  readonly parentWeights: string;
  embed(images: readonly GrayImage[]): Promise<Float32Array>;
  /** trains a new head (fresh weights) on row-major embeddings; labels index `classes` */
  fit(
    train: { x: Float32Array; labels: readonly number[] },
    val: { x: Float32Array; labels: readonly number[] } | undefined,
    options: HeadFitOptions,
  ): Promise<EpochRecord[]>;
  /** class probabilities of the new head ("candidate", after fit) or of the parent's own head */
  probabilities(head: "candidate" | "parent", x: Float32Array): Promise<Float32Array[]>;
  /** writes the parent's backbone with the new head as a version folder, with the patients of its split */
  write(
    outDir: string,
    training: Record<string, unknown>,
    split: { train: string[]; val: string[]; test: string[]; seed: number },
  ): Promise<{ digest: string; targetLayer: string; inputSize: number; history: EpochRecord[] }>;
  dispose(): void;
}

/** Opens a parent version for head-only retraining; refuses a folder whose digest is not `checksum`. */
export async function openHeadSession(dir: string, checksum: string): Promise<HeadSession> {
  const { classifier, version } = await loadModelVersion(dir);
  if (version.digest !== checksum) {
    disposeClassifier(classifier);
    throw new Error(`${dir} does not match its checksum (expected ${checksum}, found ${version.digest})`);
  }
  try {
    return await session(classifier, version.version.id, await weightsDigest(classifier));
  } catch (error) {
    disposeClassifier(classifier);
    throw error;
  }
}

async function session(c: Classifier, parentId: string, parentWeights: string): Promise<HeadSession> {
  const size = embeddingSize(c);
  const backbone = await backboneDigest(c);
  const cacheKey = sha256(
    JSON.stringify({ backbone, inputSize: c.inputSize, channels: c.channels, preprocessingVersion }),
  );
  const parentHead = extractHead(c);
  let head: tf.LayersModel | undefined;
  let history: EpochRecord[] = [];
  const probabilities = async (model: tf.LayersModel, x: Float32Array) => {
    const out: Float32Array[] = [];
    const k = c.classes.length;
    const rows = x.length / size;
    for (let start = 0; start < rows; start += 1024) {
      const n = Math.min(1024, rows - start);
      const probs = tf.tidy(
        () =>
          model.predict(tf.tensor2d(x.subarray(start * size, (start + n) * size), [n, size])) as tf.Tensor,
      );
      const data = (await probs.data()) as Float32Array;
      probs.dispose();
      for (let i = 0; i < n; i++) out.push(data.slice(i * k, (i + 1) * k));
    }
    return out;
  };
  return {
    cacheKey,
    size,
    classes: c.classes,
    parentWeights,
    embed: (images) => embed(c, images, 32),
    async fit(train, val, options) {
      head?.dispose();
      // a new head: fresh weights from the run's seed, on the parent's frozen backbone
      head = buildHeadModel(size, {
        classes: c.classes.length,
        batchNorm: c.headBatchNorm,
        seed: options.seed,
      });
      history = await fitHead(head, train, val, {
        epochs: options.epochs,
        seed: options.seed,
        batchSize: options.batchSize ?? headBatchSize(train.labels.length),
        ...(options.learningRate !== undefined ? { learningRate: options.learningRate } : {}),
        ...(options.onEpoch ? { onEpoch: options.onEpoch } : {}),
        ...(options.onStep ? { onStep: options.onStep } : {}),
      });
      return history;
    },
    probabilities(which, x) {
      if (which === "parent") return probabilities(parentHead, x);
      if (!head) throw new Error("the new head is not trained yet");
      return probabilities(head, x);
    },
    async write(outDir, training, split) {
      if (!head) throw new Error("the new head is not trained yet");
      copyHeadWeights(head, c.model);
      const written = await writeModelVersion(outDir, {
        classifier: c,
        training: { mode: "head", backend: tf.getBackend(), ...training },
        history,
        metrics: { split: "test", n: 0 },
        split: { ...split, testFraction: 0, valFraction: 0 },
        parent: parentId,
      });
      return {
        digest: written.digest,
        targetLayer: c.targetLayer,
        inputSize: c.inputSize[0],
        history,
      };
    },
    dispose() {
      head?.dispose();
      parentHead.dispose();
      disposeClassifier(c);
    },
  };
}
