// TensorFlow.js Layers model folders on disk (model.json + weight shards), the format tensorflowjs_converter
// writes from Keras. tfjs' own file:// handler lives in tfjs-node, which is optional, hence this one.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { readJsonFile } from "../json-file";

const weightEntrySchema = z
  .object({ name: z.string(), shape: z.array(z.number().int().nonnegative()), dtype: z.string() })
  .loose();

const modelJsonSchema = z
  .object({
    modelTopology: z.record(z.string(), z.unknown()),
    format: z.string().optional(),
    weightsManifest: z.array(z.object({ paths: z.array(z.string()), weights: z.array(weightEntrySchema) })),
  })
  .loose();

export const modelJsonFile = "model.json";
export const weightsFile = "weights.bin";

/** Writes model.json and weights.bin into dir; returns the file names written. */
export async function saveLayersModel(model: tf.LayersModel, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData
        ? tf.io.CompositeArrayBuffer.join(artifacts.weightData)
        : new ArrayBuffer(0);
      const json = {
        modelTopology: artifacts.modelTopology,
        format: "layers-model",
        generatedBy: artifacts.generatedBy,
        convertedBy: null,
        weightsManifest: [{ paths: [weightsFile], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFile(join(dir, modelJsonFile), JSON.stringify(json));
      await writeFile(join(dir, weightsFile), new Uint8Array(weightData));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  return [modelJsonFile, weightsFile];
}

/** Loads a Layers model folder (ours or the converter's, with any number of weight shards). */
export async function loadLayersModel(pathOrDir: string): Promise<tf.LayersModel> {
  const jsonPath = pathOrDir.endsWith(".json") ? pathOrDir : join(pathOrDir, modelJsonFile);
  const parsedJson = await readJsonFile(jsonPath, `cannot read ${jsonPath}`);
  const parsed = modelJsonSchema.safeParse(parsedJson);
  if (!parsed.success)
    throw new Error(`${jsonPath} is not a TensorFlow.js Layers model (${parsed.error.issues[0]?.message})`);
  const base = dirname(jsonPath);
  const buffers: ArrayBuffer[] = [];
  for (const group of parsed.data.weightsManifest) {
    for (const path of group.paths) {
      try {
        const bytes = await readFile(join(base, path));
        buffers.push(
          bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
        );
      } catch {
        throw new Error(`cannot read weight shard ${join(base, path)}`);
      }
    }
  }
  const weightSpecs = parsed.data.weightsManifest.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[];
  try {
    return await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: parsed.data.modelTopology, weightSpecs, weightData: buffers }),
    );
  } catch (error) {
    throw new Error(
      `cannot load the model in ${base}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
    );
  }
}
