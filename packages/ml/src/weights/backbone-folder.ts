// A pretrained backbone folder: the backbone as a TensorFlow.js Layers model (model.json + weights.bin, what
// `buildClassifier({ weightsDir })` and `train --weights DIR` load), backbone.json (architecture, the Keras file
// it came from and that file's SHA-256) and checksums.json over the three; its digest identifies the backbone.
// No timestamp inside: the same file imported twice gives the same digest, so registering it again is a no-op.
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { checksumFiles, checksumsSchema, sha256, verifyChecksums } from "../checksum";
import { readJsonFile } from "../json-file";
import { archSpecs } from "../models/arch";
import { saveLayersModel } from "../models/layers-io";
import { readKerasWeightFile } from "./h5";
import { assertArchitecture, loadKerasWeights, type PretrainedArch } from "./mapping";

export const backboneInfoSchema = z.object({
  format: z.literal("cxr-pretrained-backbone"),
  formatVersion: z.literal(1),
  arch: z.enum(["vgg16", "densenet121", "resnet50"]),
  sourceFile: z.string().min(1),
  sourceSha256: z.string().regex(/^[0-9a-f]{64}$/),
  layout: z.enum(["keras2", "keras3"]),
  layers: z.number().int().positive(),
  ignoredLayers: z.array(z.string()),
  inputSize: z.number().int().positive(),
});
export type BackboneInfo = z.infer<typeof backboneInfoSchema>;

export interface PretrainedBackbone {
  dir: string;
  info: BackboneInfo;
  /** digest of checksums.json: identifies the folder's content */
  digest: string;
}

const infoFile = "backbone.json";
const checksumsFile = "checksums.json";

/** The architecture's backbone alone (input -> last feature map), layer names as the classifier's. */
export function buildBackbone(arch: PretrainedArch, inputSize = archSpecs[arch].inputSize): tf.LayersModel {
  const spec = archSpecs[arch];
  const input = tf.input({ shape: [inputSize, inputSize, spec.channels], name: "input" });
  return tf.model({ inputs: input, outputs: spec.backbone(input), name: `${arch}_backbone` });
}

export interface ImportOptions {
  arch: PretrainedArch;
  /** the Keras .h5 / .weights.h5 file */
  file: string;
  /** the folder to write (must not exist yet; written next to it, then renamed, so it is never half-written) */
  outDir: string;
  /** the name to record (an upload's original name); default the file's own */
  sourceName?: string;
}

/** Reads a Keras weight file, maps it onto the architecture's backbone and writes a backbone folder. */
export async function importKerasWeights(options: ImportOptions): Promise<PretrainedBackbone> {
  const { arch, file, outDir } = options;
  const weights = await readKerasWeightFile(file);
  // before building the model (seconds for ResNet50): a file of another architecture is refused at once
  assertArchitecture(weights, arch);
  const sourceSha256 = sha256(await readFile(file));
  const model = buildBackbone(arch);
  const staging = join(dirname(outDir), `.${basename(outDir)}.${process.pid}.tmp`);
  try {
    const loaded = loadKerasWeights(model, arch, weights);
    weights.layers.clear();
    await rm(staging, { recursive: true, force: true });
    const written = await saveLayersModel(model, staging);
    const info: BackboneInfo = {
      format: "cxr-pretrained-backbone",
      formatVersion: 1,
      arch,
      sourceFile: options.sourceName ?? basename(file),
      sourceSha256,
      layout: loaded.layout,
      layers: loaded.layers,
      ignoredLayers: loaded.ignored,
      inputSize: archSpecs[arch].inputSize,
    };
    await writeFile(join(staging, infoFile), JSON.stringify(info, null, 2));
    const sums = await checksumFiles(staging, [...written, infoFile]);
    await writeFile(join(staging, checksumsFile), JSON.stringify(sums, null, 2));
    await mkdir(dirname(outDir), { recursive: true });
    await rename(staging, outDir);
    return { dir: outDir, info, digest: sums.digest };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  } finally {
    model.dispose();
  }
}

/** Reads a backbone folder, checksums verified first. */
export async function readBackboneFolder(dir: string): Promise<PretrainedBackbone> {
  const unreadable = (name: string) => `${dir} is not a pretrained backbone folder: cannot read ${name}`;
  const raw = {
    sums: await readJsonFile(join(dir, checksumsFile), unreadable(checksumsFile)),
    info: await readJsonFile(join(dir, infoFile), unreadable(infoFile)),
  };
  const sums = checksumsSchema.parse(raw.sums);
  await verifyChecksums(dir, sums);
  const info = backboneInfoSchema.safeParse(raw.info);
  if (!info.success) throw new Error(`${join(dir, infoFile)} is invalid: ${info.error.issues[0]?.message}`);
  return { dir, info: info.data, digest: sums.digest };
}
