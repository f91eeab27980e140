// Puts a Keras weight file's layers onto the project's backbones by layer name. The backbones use Keras 2's
// applications names (models/backbones/*.ts), so most names map to themselves; the tables list where Keras 3
// renamed a layer (it forbids "/" in names). Every layer, weight and shape is checked before anything is set,
// so a refused file leaves the model as it was.
import * as tf from "@tensorflow/tfjs";
import { type Arch } from "../models/arch";
import { type KerasWeight, type KerasWeightFile } from "./h5";

export type PretrainedArch = Exclude<Arch, "compact">;
export const pretrainedArchs: readonly PretrainedArch[] = ["vgg16", "densenet121", "resnet50"];

interface ArchNames {
  /** a layer only this architecture has, to tell which architecture a file holds */
  signature: string;
  /** project (= Keras 2) layer name -> Keras 3 name, where they differ */
  keras3: Record<string, string>;
  /** the classifier top of an include_top=True file: ignored, the project has its own head */
  top: string[];
}

export const kerasNames: Record<PretrainedArch, ArchNames> = {
  vgg16: { signature: "block5_conv3", keras3: {}, top: ["fc1", "fc2", "predictions"] },
  densenet121: {
    signature: "conv5_block16_2_conv",
    keras3: { "conv1/conv": "conv1_conv", "conv1/bn": "conv1_bn" },
    top: ["predictions"],
  },
  resnet50: { signature: "conv5_block3_3_conv", keras3: {}, top: ["predictions"] },
};

export interface LoadedWeights {
  layout: KerasWeightFile["layout"];
  layers: number;
  ignored: string[];
}

const shapeText = (shape: readonly (number | null)[]) => `[${shape.join(",")}]`;
const sameShape = (a: readonly number[], b: readonly (number | null)[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);
/** "block1_conv1/kernel" -> "kernel" */
const shortName = (name: string) => name.split("/").pop() ?? name;

function fileLayerFor(file: KerasWeightFile, arch: PretrainedArch, layer: string): string | undefined {
  if (file.layers.has(layer)) return layer;
  const renamed = kerasNames[arch].keras3[layer];
  return renamed !== undefined && file.layers.has(renamed) ? renamed : undefined;
}

/** Refuses a file that holds another architecture (or none of the known ones), naming what it found. */
export function assertArchitecture(file: KerasWeightFile, arch: PretrainedArch): void {
  if (file.layers.has(kerasNames[arch].signature)) return;
  const other = pretrainedArchs.find((a) => a !== arch && file.layers.has(kerasNames[a].signature));
  if (other)
    throw new Error(
      `the file holds ${other} weights (it has layer ${kerasNames[other].signature}), not ${arch} (no layer ${kerasNames[arch].signature})`,
    );
  const some = [...file.layers.keys()].slice(0, 3).join(", ");
  throw new Error(
    `the file holds no ${arch} weights: no layer ${kerasNames[arch].signature} (its layers with weights: ${some || "none"}${file.layers.size > 3 ? ", ..." : ""})`,
  );
}

/** Pairs the model layer's variables with the file's weights: by name in the Keras 2 layout, by order in Keras 3. */
function pairWeights(
  layer: tf.layers.Layer,
  fileWeights: KerasWeight[],
  layout: KerasWeightFile["layout"],
): KerasWeight[] {
  const wanted = layer.weights;
  const describe = () => wanted.map((w) => `${shortName(w.originalName)} ${shapeText(w.shape)}`).join(", ");
  if (fileWeights.length !== wanted.length)
    throw new Error(
      `layer ${layer.name} has ${fileWeights.length} weights in the file (${fileWeights.map((w) => `${w.name} ${shapeText(w.shape)}`).join(", ")}), the model needs ${wanted.length} (${describe()})`,
    );
  return wanted.map((variable, i) => {
    const name = shortName(variable.originalName);
    const found = layout === "keras2" ? fileWeights.find((w) => w.name === name) : fileWeights[i];
    if (!found) throw new Error(`layer ${layer.name} has no weight ${name} in the file`);
    if (!sameShape(found.shape, variable.shape))
      throw new Error(
        `layer ${layer.name}: ${name} is ${shapeText(found.shape)} in the file, the model needs ${shapeText(variable.shape)}`,
      );
    if (found.values.length !== variable.shape.reduce<number>((a, d) => a * (d ?? 1), 1))
      throw new Error(
        `layer ${layer.name}: ${name} holds ${found.values.length} values, not ${shapeText(variable.shape)}`,
      );
    return found;
  });
}

/**
 * Sets every weighted layer of `model` (a backbone of `arch`) from the file. Refuses, naming the layer and the
 * shapes, a file of another architecture, a missing or mis-shaped layer, and layers the backbone does not have
 * (except the Keras classifier top, which is ignored).
 */
export function loadKerasWeights(
  model: tf.LayersModel,
  arch: PretrainedArch,
  file: KerasWeightFile,
): LoadedWeights {
  assertArchitecture(file, arch);
  const plan: [tf.layers.Layer, KerasWeight[]][] = [];
  const used = new Set<string>();
  for (const layer of model.layers) {
    if (layer.weights.length === 0) continue;
    const name = fileLayerFor(file, arch, layer.name);
    if (name === undefined)
      throw new Error(
        `layer ${layer.name} (${layer.weights.map((w) => `${shortName(w.originalName)} ${shapeText(w.shape)}`).join(", ")}) is missing from the file`,
      );
    used.add(name);
    plan.push([layer, pairWeights(layer, file.layers.get(name) ?? [], file.layout)]);
  }
  const top = new Set(kerasNames[arch].top);
  const unknown = [...file.layers.keys()].filter((l) => !used.has(l) && !top.has(l));
  if (unknown.length > 0)
    throw new Error(
      `the file has ${unknown.length} layer(s) with weights that the ${arch} backbone does not have: ${unknown.slice(0, 5).join(", ")}${unknown.length > 5 ? ", ..." : ""}`,
    );
  for (const [layer, weights] of plan) {
    const tensors = weights.map((w) => tf.tensor(w.values, w.shape, "float32"));
    layer.setWeights(tensors);
    tf.dispose(tensors);
  }
  return {
    layout: file.layout,
    layers: plan.length,
    ignored: [...file.layers.keys()].filter((l) => top.has(l)),
  };
}
