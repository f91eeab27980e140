// Grad-CAM (Selvaraju et al.): d(class score)/d(target activations), averaged per image into channel weights,
// weighted sum of the activation maps, ReLU, normalised, upsampled to the input. The report's variant keeps only
// positive activations and positive gradients ("guided") and min-max normalises without the ReLU.
// The model runs once up to the target layer; only the part after it is differentiated.
import * as tf from "@tensorflow/tfjs";
import { type GrayImage } from "../image/gray-image";
import { assertLayer, type Classifier } from "../models/classifier";
import { layersBetween, runLayers } from "../models/graph";
import { layerNames } from "../models/head";
import { backboneOutputs } from "../onnx/backbone";

export interface GradCamOptions {
  /** the class to explain: one index for all images, one per image, or (default) each image's predicted class */
  classIndex?: number | readonly number[];
  /** default: the classifier's target layer */
  targetLayer?: string;
  variant?: "standard" | "guided";
  /** differentiate the pre-softmax score (default, as Selvaraju et al.) or the probability (as the report's code) */
  score?: "logit" | "probability";
  /**
   * the backbone's outputs up to the target layer for this batch, computed before (onnx/feature-memo.ts): the
   * backbone is not run again. Grad-CAM takes them over and disposes them.
   */
  features?: Map<string, tf.Tensor>;
}

export interface GradCamResult {
  /** class probabilities per image */
  probs: Float32Array[];
  /** the class each map explains */
  classIndex: number[];
  /** normalised maps in [0, 1] at the model's input resolution */
  maps: GrayImage[];
  /** the same maps at the target layer's resolution */
  coarse: GrayImage[];
}

function resolveClasses(
  option: GradCamOptions["classIndex"],
  predicted: number[],
  classes: number,
): number[] {
  const chosen =
    option === undefined ? predicted : typeof option === "number" ? predicted.map(() => option) : [...option];
  if (chosen.length !== predicted.length)
    throw new Error(`classIndex has ${chosen.length} entries for ${predicted.length} images`);
  for (const k of chosen)
    if (!Number.isInteger(k) || k < 0 || k >= classes) throw new Error(`class index ${k} is out of range`);
  return chosen;
}

/** Normalises each image's CAM: ReLU then divide by the max (standard) or min-max (guided). */
function normalise(cam: tf.Tensor3D, variant: "standard" | "guided"): tf.Tensor3D {
  return tf.tidy(() => {
    // epsilon relative to the map's own scale: raw CAM values can be ~1e-6, where a fixed 1e-7 would distort them
    const scale = tf.max(tf.abs(cam), [1, 2], true);
    const eps = tf.add(tf.mul(scale, 1e-6), 1e-30);
    if (variant === "standard") {
      const r = tf.relu(cam);
      return tf.div(r, tf.add(tf.max(r, [1, 2], true), eps));
    }
    const lo = tf.min(cam, [1, 2], true);
    const hi = tf.max(cam, [1, 2], true);
    return tf.div(tf.sub(cam, lo), tf.add(tf.sub(hi, lo), eps));
  });
}

export async function gradCam(
  classifier: Classifier,
  batch: tf.Tensor4D,
  options: GradCamOptions = {},
): Promise<GradCamResult> {
  const model = classifier.model;
  const target = options.targetLayer ?? classifier.targetLayer;
  assertLayer(classifier, target);
  const variant = options.variant ?? "standard";
  const k = classifier.classes.length;
  const [h, w] = classifier.inputSize;

  // Everything up to the target layer once (on ONNX Runtime where the backbone can run there); keep those outputs
  // so the differentiated part, in tfjs, starts from them.
  let known = options.features ?? (await backboneOutputs(classifier, batch, target));
  if (!known) {
    const upstream = layersBetween(model, [target], new Set()).map((l) => l.name);
    const upstreamOuts = tf.tidy(() => runLayers(model, [batch], upstream));
    known = new Map(upstream.map((name, i) => [name, upstreamOuts[i] as tf.Tensor]));
  }
  try {
    const activation = known.get(target) as tf.Tensor4D;
    const logitsOf = (a: tf.Tensor) =>
      runLayers(model, [batch], [layerNames.logits], {
        known,
        overrides: new Map([[target, a]]),
      })[0] as tf.Tensor2D;

    const logits = tf.tidy(() => logitsOf(activation));
    const probsT = tf.tidy(() => tf.softmax(logits));
    const probsFlat = (await probsT.data()) as Float32Array;
    const argmax = tf.argMax(logits, 1);
    const predicted = Array.from(await argmax.data());
    tf.dispose([logits, probsT, argmax]);
    const classIndex = resolveClasses(options.classIndex, predicted, k);

    const [mapsT, coarseT] = tf.tidy(() => {
      const oneHot = tf.oneHot(tf.tensor1d(classIndex, "int32"), k);
      // a one-hot product, not gather: wasm lacks gather's gradient kernel (and scores of a batch are independent,
      // so the gradient of their sum gives each image its own gradients)
      const scoreOf = (a: tf.Tensor) => {
        const out = logitsOf(a);
        return tf.sum(tf.mul(options.score === "probability" ? tf.softmax(out) : out, oneHot));
      };
      const grads = tf.grad(scoreOf)(activation) as tf.Tensor4D;
      const g =
        variant === "guided"
          ? tf.mul(
              tf.mul(tf.cast(tf.greater(activation, 0), "float32"), tf.cast(tf.greater(grads, 0), "float32")),
              grads,
            )
          : grads;
      const weights = tf.mean(g, [1, 2], true); // [b, 1, 1, C]
      const cam = tf.sum(tf.mul(weights, activation), 3) as tf.Tensor3D; // [b, h', w']
      const coarse = normalise(cam, variant);
      const up = tf.image
        .resizeBilinear(coarse.expandDims(3) as tf.Tensor4D, [h, w], false, true)
        .squeeze([3]);
      return [tf.clipByValue(up, 0, 1), coarse];
    });
    const [mapsData, coarseData] = await Promise.all([mapsT.data(), coarseT.data()]);
    const [ch, cw] = [coarseT.shape[1] ?? 1, coarseT.shape[2] ?? 1];
    tf.dispose([mapsT, coarseT]);
    const n = classIndex.length;
    return {
      probs: Array.from({ length: n }, (_, i) => probsFlat.slice(i * k, (i + 1) * k)),
      classIndex,
      maps: Array.from({ length: n }, (_, i) => ({
        width: w,
        height: h,
        data: (mapsData as Float32Array).slice(i * h * w, (i + 1) * h * w),
      })),
      coarse: Array.from({ length: n }, (_, i) => ({
        width: cw,
        height: ch,
        data: (coarseData as Float32Array).slice(i * ch * cw, (i + 1) * ch * cw),
      })),
    };
  } finally {
    // the input layer's "output" is the caller's batch: not ours to dispose
    tf.dispose([...(known?.values() ?? [])].filter((t) => t !== batch));
  }
}
