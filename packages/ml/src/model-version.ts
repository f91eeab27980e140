// A model version is a folder: weights and architecture (TensorFlow.js Layers format), version.json (label set,
// input size, target layer, how it was trained), history.json, metrics.json (on the locked test split),
// split.json, and checksums.json over all of them. Reading verifies the checksums first.
import { randomUUID } from "node:crypto";
import { mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { z } from "zod";
import { checksumFiles, checksumsSchema, verifyChecksums } from "./checksum";
import { readJsonFile } from "./json-file";
import { dataSplitSchema, type DataSplit } from "./data/split";
import { archSchema } from "./models/arch";
import { type Classifier } from "./models/classifier";
import { loadLayersModel, saveLayersModel } from "./models/layers-io";
import { historySchema, type EpochRecord } from "./train/history";

export const versionSchema = z.object({
  format: z.literal("cxr-model-version"),
  formatVersion: z.literal(1),
  id: z.string().min(1),
  createdAt: z.string(),
  arch: archSchema,
  classes: z.array(z.string().min(1)).min(2),
  inputSize: z.tuple([z.number().int().positive(), z.number().int().positive()]),
  channels: z.union([z.literal(1), z.literal(3)]),
  targetLayer: z.string().min(1),
  headPool: z.union([z.number().int().positive(), z.literal("global")]),
  headPoolType: z.enum(["avg", "max"]),
  headBatchNorm: z.boolean(),
  preprocessing: z.object({
    grayscale: z.literal(true),
    resize: z.literal("bilinear"),
    scale: z.tuple([z.literal(0), z.literal(1)]),
    channels: z.union([z.literal(1), z.literal(3)]),
  }),
  training: z.record(z.string(), z.unknown()),
  parent: z.string().nullable(),
});
export type VersionInfo = z.infer<typeof versionSchema>;

const files = {
  version: "version.json",
  history: "history.json",
  metrics: "metrics.json",
  split: "split.json",
  checksums: "checksums.json",
} as const;

export interface ModelVersion {
  dir: string;
  version: VersionInfo;
  history: EpochRecord[];
  /** whatever evaluation was stored (metrics on the locked test split) */
  metrics: Record<string, unknown>;
  split: DataSplit;
  /** digest over the folder's files */
  digest: string;
}

export interface WriteVersionInput {
  classifier: Classifier;
  training: Record<string, unknown>;
  history: EpochRecord[];
  metrics: Record<string, unknown>;
  split: DataSplit;
  parent?: string | null;
}

/** Writes into a fresh folder next to `dir`, then renames it into place, so no half-written version is seen. */
export async function writeModelVersion(dir: string, input: WriteVersionInput): Promise<ModelVersion> {
  const existing = await readdir(dir).catch(() => null);
  if (existing && existing.length > 0) throw new Error(`${dir} exists and is not empty`);
  const staging = join(dirname(dir), `.${basename(dir)}.tmp-${process.pid}-${Date.now()}`);
  await mkdir(staging, { recursive: true });
  try {
    const c = input.classifier;
    const version: VersionInfo = {
      format: "cxr-model-version",
      formatVersion: 1,
      id: randomUUID(),
      createdAt: new Date().toISOString(),
      arch: c.arch,
      classes: c.classes,
      inputSize: c.inputSize,
      channels: c.channels,
      targetLayer: c.targetLayer,
      headPool: c.headPool,
      headPoolType: c.headPoolType,
      headBatchNorm: c.headBatchNorm,
      preprocessing: { grayscale: true, resize: "bilinear", scale: [0, 1], channels: c.channels },
      training: input.training,
      parent: input.parent ?? null,
    };
    const written = await saveLayersModel(c.model, staging);
    const json = (v: unknown) => JSON.stringify(v, null, 2) + "\n";
    await writeFile(join(staging, files.version), json(version));
    await writeFile(join(staging, files.history), json(input.history));
    await writeFile(join(staging, files.metrics), json(input.metrics));
    await writeFile(join(staging, files.split), json(input.split));
    const sums = await checksumFiles(staging, [
      ...written,
      files.version,
      files.history,
      files.metrics,
      files.split,
    ]);
    await writeFile(join(staging, files.checksums), json(sums));
    if (existing) await rm(dir, { recursive: true });
    await rename(staging, dir);
    return {
      dir,
      version,
      history: input.history,
      metrics: input.metrics,
      split: input.split,
      digest: sums.digest,
    };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

async function readJson<T>(dir: string, name: string, schema: z.ZodType<T>): Promise<T> {
  const path = join(dir, name);
  const value = await readJsonFile(path, `${dir} is not a model version: cannot read ${name}`);
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path}: ${issue?.path.join(".") || "value"} ${issue?.message ?? "is invalid"}`);
  }
  return parsed.data;
}

/** Reads and verifies a model version folder (without loading the weights). */
export async function readModelVersion(dir: string): Promise<ModelVersion> {
  const sums = await readJson(dir, files.checksums, checksumsSchema);
  await verifyChecksums(dir, sums);
  const version = await readJson(dir, files.version, versionSchema);
  return {
    dir,
    version,
    history: await readJson(dir, files.history, historySchema),
    metrics: await readJson(dir, files.metrics, z.record(z.string(), z.unknown())),
    split: await readJson(dir, files.split, dataSplitSchema),
    digest: sums.digest,
  };
}

/** Reads, verifies and loads a model version as a ready classifier. */
export async function loadModelVersion(
  dir: string,
): Promise<{ classifier: Classifier; version: ModelVersion }> {
  const version = await readModelVersion(dir);
  const model = await loadLayersModel(dir);
  const v = version.version;
  const classifier: Classifier = {
    arch: v.arch,
    classes: v.classes,
    inputSize: v.inputSize,
    channels: v.channels,
    targetLayer: v.targetLayer,
    headPool: v.headPool,
    headPoolType: v.headPoolType,
    headBatchNorm: v.headBatchNorm,
    model,
    backboneKey: `version:${v.id}:${version.digest}`,
  };
  const out = model.outputs[0]?.shape;
  if (out?.[1] !== v.classes.length) {
    model.dispose();
    throw new Error(`${dir}: the model has ${out?.[1]} outputs for ${v.classes.length} classes`);
  }
  return { classifier, version };
}
