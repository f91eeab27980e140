// A classifier = one flat Layers model (backbone + head) plus what it needs to be used: class names, input
// size and channels, Grad-CAM target layer. Class names are data: any label set works.
import * as tf from "@tensorflow/tfjs";
import { type Arch, archSpecs } from "./arch";
import { attachHead, buildHeadModel, headWeightLayers, layerNames } from "./head";
import { loadLayersModel } from "./layers-io";

export interface ClassifierInfo {
  arch: Arch;
  classes: string[];
  inputSize: [number, number];
  channels: 1 | 3;
  targetLayer: string;
  headPool: number | "global";
  headPoolType: "avg" | "max";
  headBatchNorm: boolean;
}

export interface Classifier extends ClassifierInfo {
  model: tf.LayersModel;
  /**
   * Names the backbone's weights while they cannot change (a stored model version: its id and checksum digest; a
   * frozen backbone: its weights' digest). Only then is the backbone run on ONNX Runtime, from a session compiled
   * once per key (onnx/backbone.ts).
   */
  backboneKey?: string;
}

export interface BuildOptions {
  arch?: Arch;
  classes: readonly string[];
  /** a Layers model folder with the backbone's pretrained weights (Keras application, include_top=False) */
  weightsDir?: string;
  targetLayer?: string;
  headPool?: number | "global";
  headPoolType?: "avg" | "max";
  /** reproducible initial weights of the compact model and of every head */
  seed?: number;
  /** square input size instead of the architecture's (small models for tests); not with weightsDir */
  inputSize?: number;
}

export function validateClasses(classes: readonly string[]): string[] {
  if (classes.length < 2) throw new Error("a classifier needs at least two classes");
  if (new Set(classes).size !== classes.length) throw new Error("class names must be unique");
  return [...classes];
}

export async function buildClassifier(options: BuildOptions): Promise<Classifier> {
  const arch = options.arch ?? "compact";
  const spec = archSpecs[arch];
  const classes = validateClasses(options.classes);
  const headPool = options.headPool ?? spec.headPool;
  const size = options.inputSize ?? spec.inputSize;
  if (options.weightsDir && size !== spec.inputSize)
    throw new Error(`pretrained ${arch} weights need input ${spec.inputSize}, not ${size}`);
  let inputs: tf.SymbolicTensor;
  let features: tf.SymbolicTensor;
  if (options.weightsDir) {
    const base = await loadLayersModel(options.weightsDir);
    const shape = base.inputs[0]?.shape;
    if (!shape || shape[1] !== spec.inputSize || shape[2] !== spec.inputSize || shape[3] !== spec.channels) {
      base.dispose();
      throw new Error(
        `the weights in ${options.weightsDir} expect input ${JSON.stringify(shape)}, ${arch} needs [null,${spec.inputSize},${spec.inputSize},${spec.channels}]`,
      );
    }
    inputs = base.inputs[0] as tf.SymbolicTensor;
    features = base.outputs[0] as tf.SymbolicTensor;
  } else {
    inputs = tf.input({ shape: [size, size, spec.channels], name: "input" });
    features = spec.backbone(inputs, options.seed);
  }
  const outputs = attachHead(features, {
    classes: classes.length,
    batchNorm: spec.headBatchNorm,
    pool: headPool,
    poolType: options.headPoolType ?? spec.headPoolType,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  });
  const model = tf.model({ inputs, outputs, name: arch });
  const targetLayer = options.targetLayer ?? spec.targetLayer;
  const classifier: Classifier = {
    arch,
    classes,
    inputSize: [size, size],
    channels: spec.channels,
    targetLayer,
    headPool,
    headPoolType: options.headPoolType ?? spec.headPoolType,
    headBatchNorm: spec.headBatchNorm,
    model,
  };
  assertLayer(classifier, targetLayer);
  return classifier;
}

export function assertLayer(classifier: Classifier, name: string): tf.layers.Layer {
  try {
    return classifier.model.getLayer(name);
  } catch {
    throw new Error(`the model has no layer named ${name}`);
  }
}

const subModels = new WeakMap<tf.LayersModel, Map<string, tf.LayersModel>>();

/** A model sharing the classifier's weights that outputs the named layer (cached per model). */
export function outputOf(classifier: Classifier, layer: string): tf.LayersModel {
  let cache = subModels.get(classifier.model);
  if (!cache) subModels.set(classifier.model, (cache = new Map()));
  let sub = cache.get(layer);
  if (!sub) {
    sub = tf.model({
      inputs: classifier.model.inputs,
      outputs: assertLayer(classifier, layer).output as tf.SymbolicTensor,
    });
    cache.set(layer, sub);
  }
  return sub;
}

export function embeddingSize(classifier: Classifier): number {
  const shape = assertLayer(classifier, layerNames.embedding).outputShape as number[];
  return shape[1] ?? 0;
}

/** A head model on embeddings with the classifier's current head weights (copies, not shared). */
export function extractHead(classifier: Classifier): tf.LayersModel {
  const head = buildHeadModel(embeddingSize(classifier), {
    classes: classifier.classes.length,
    batchNorm: classifier.headBatchNorm,
  });
  copyHeadWeights(classifier.model, head);
  return head;
}

/** Copies the weights of the head layers from one model to another (same layer names). */
export function copyHeadWeights(from: tf.LayersModel, to: tf.LayersModel): void {
  for (const name of headWeightLayers) {
    const source = from.layers.find((l) => l.name === name);
    const target = to.layers.find((l) => l.name === name);
    if (source && target) target.setWeights(source.getWeights());
  }
}

/** Freezes (or unfreezes) everything before the embedding; the head stays trainable. */
export function setBackboneTrainable(classifier: Classifier, trainable: boolean): void {
  // weights about to change: a compiled backbone would go stale
  if (trainable) delete classifier.backboneKey;
  const head = new Set<string>(Object.values(layerNames));
  for (const layer of classifier.model.layers) if (!head.has(layer.name)) layer.trainable = trainable;
}

export function disposeClassifier(classifier: Classifier): void {
  // the cached sub-models share the main model's weights: disposing it frees them once
  subModels.delete(classifier.model);
  classifier.model.dispose();
}
