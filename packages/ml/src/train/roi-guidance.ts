// ROI-guided training ("right for the right reasons", Ross et al. 2017; attention alignment as in GAIN, Li et al.
// 2018): where a training image has a lesion mask (a phantom's, or the regions a reader drew), the loss also asks
// that its true class's Grad-CAM stay inside the mask and that the evidence inside the mask argue for the class. A
// correct label learned from the wrong evidence (a lesion's margin, a clear lung base) then costs something.
//
// Our heads are global average pooling -> [BatchNorm] -> Dense(relu) -> Dropout -> Dense, so Grad-CAM on the pooled
// features has a closed form: the channel weights are d(logit_k)/d(embedding) / (H W) = W1 (relu'(h) * W2[:, k]),
// scaled by the batch normalisation's gamma / sqrt(var + eps). Written out, the map is differentiable in the weights
// and activations with first-order gradients only (no gradient of a gradient, which wasm's kernels do not offer).
import * as tf from "@tensorflow/tfjs";
import { type Classifier } from "../models/classifier";
import { type RunOptions, runLayers } from "../models/graph";
import { layerNames } from "../models/head";

/** What a guided training step needs from the model: its pre-softmax scores and each image's class evidence map. */
export type GuidedForward = (
  x: tf.Tensor,
  training: boolean,
  classOneHot: tf.Tensor2D,
) => { logits: tf.Tensor2D; evidence: tf.Tensor3D };

export interface RoiGuidance {
  /** weight of the outside share against the cross-entropy */
  weight: number;
  /** [height, width] of the feature map the masks are compared on */
  grid: [number, number];
  forward: GuidedForward;
}

/**
 * The default weight. On the acceptance phantoms (README) 0.3 lifted the strict pointing game from 0.76 to 1.00 and
 * accuracy from 0.967 to 0.99; at 1 the outside share alone outweighed the cross-entropy early on and accuracy
 * fell to 0.78.
 */
export const defaultRoiWeight = 0.3;

function layerWeights(model: tf.LayersModel, name: string): tf.Tensor[] {
  // LayerVariable.read() is the variable itself, so a gradient tape records its use
  return model.getLayer(name).weights.map((w) => w.read());
}

/**
 * d(logit of each image's class)/d(embedding) [b, C], as a function of the head's weights. `hidden` is the Dense
 * layer's output (after the ReLU): its sign pattern is relu'(h), constant almost everywhere.
 */
export function embeddingGradient(
  model: tf.LayersModel,
  hidden: tf.Tensor2D,
  classOneHot: tf.Tensor2D,
  batchNorm: boolean,
): tf.Tensor2D {
  return tf.tidy(() => {
    const [w1] = layerWeights(model, layerNames.dense) as [tf.Tensor2D];
    const [w2] = layerWeights(model, layerNames.logits) as [tf.Tensor2D];
    // relu'(h) from the ReLU's output (>= 0): sign, whose gradient is zero (Greater has none in tfjs)
    const active = tf.sign(hidden);
    // d logit_k / d hidden = W2[:, k] per image: [b, K] x [K, U]
    const dHidden = tf.mul(tf.matMul(classOneHot, w2, false, true), active);
    let g = tf.matMul(dHidden, w1, false, true) as tf.Tensor2D; // [b, C]
    if (batchNorm) {
      const bn = model.getLayer(layerNames.batchNorm);
      const config = bn.getConfig();
      const epsilon = Number(config.epsilon ?? 1e-3);
      const weights = layerWeights(model, layerNames.batchNorm);
      // Keras order: gamma, beta, moving mean, moving variance (gamma absent without scale)
      const variance = weights[weights.length - 1] as tf.Tensor1D;
      const gamma = config.scale === false ? tf.onesLike(variance) : (weights[0] as tf.Tensor1D);
      g = tf.mul(g, tf.div(gamma, tf.sqrt(tf.add(variance, epsilon))));
    }
    return g;
  });
}

/**
 * Each location's evidence for the class: the feature maps weighted by gradient / (H W), before Grad-CAM's ReLU.
 * It sums over the locations to the class score's share that flows through the features (its linearisation).
 * [b, H, W]
 */
export function classEvidenceMap(features: tf.Tensor4D, gradient: tf.Tensor2D): tf.Tensor3D {
  return tf.tidy(() => {
    const [h, w] = [features.shape[1], features.shape[2]];
    const weights = tf.div(gradient, h * w).reshape([gradient.shape[0], 1, 1, gradient.shape[1]]);
    return tf.sum(tf.mul(features, weights), 3) as tf.Tensor3D;
  });
}

/** Mean of per-image values over the guided images (0 when none is). */
function guidedMean(values: tf.Tensor1D, guided: tf.Tensor1D): tf.Scalar {
  return tf.div(tf.sum(tf.mul(values, guided)), tf.maximum(tf.sum(guided), 1)) as tf.Scalar;
}

/**
 * Per image, the Grad-CAM's share outside the mask, 1 - inside / total (mask values in [0, 1]: a cell half inside
 * counts half). A map that is zero everywhere scores 1, as if all outside: otherwise silencing the class's
 * evidence would be the cheapest way to keep it out of the background.
 */
export function outsideShare(evidence: tf.Tensor3D, mask: tf.Tensor3D): tf.Tensor1D {
  return tf.tidy(() => {
    const cam = tf.relu(evidence);
    const total = tf.sum(cam, [1, 2]);
    const inside = tf.sum(tf.mul(cam, mask), [1, 2]);
    return tf.sub(1, tf.div(inside, tf.add(total, 1e-12))) as tf.Tensor1D;
  });
}

/**
 * Per image, -log sigmoid(evidence inside the mask): small when the lesion's own evidence argues for the class.
 * In the units of the score, so no scale is tuned; it also reaches maps that are zero after the ReLU, where the
 * outside share has no gradient (without it about one lesion map in ten ended flat).
 */
export function insideEvidenceLoss(evidence: tf.Tensor3D, mask: tf.Tensor3D): tf.Tensor1D {
  return tf.tidy(() => tf.softplus(tf.neg(tf.sum(tf.mul(evidence, mask), [1, 2]))) as tf.Tensor1D);
}

/** The guidance term of the loss: outside share plus inside evidence, averaged over the guided images. */
export function roiLoss(evidence: tf.Tensor3D, mask: tf.Tensor3D, guided: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() =>
    guidedMean(tf.add(outsideShare(evidence, mask), insideEvidenceLoss(evidence, mask)), guided),
  );
}

/** The layer whose output the head pools: Grad-CAM there is what the closed form gives. */
export function pooledFeatureLayer(classifier: Classifier): tf.layers.Layer {
  const pool = classifier.model.getLayer(layerNames.pool);
  const inbound = pool.inboundNodes[0]?.inboundLayers[0];
  if (!inbound) throw new Error("the head's pooling layer has no input");
  return inbound;
}

/**
 * The guidance for a classifier, or why it cannot have one: the closed form needs the head to average the whole
 * feature map (the report's 4x4 window keeps locations apart in the Flatten; a maximum is not linear).
 */
export function roiGuidance(
  classifier: Classifier,
  runOptions: Pick<RunOptions, "dropoutMask">,
  weight = defaultRoiWeight,
): RoiGuidance | string {
  if (classifier.headPool !== "global")
    return `ROI guidance needs a globally pooled head (this one pools ${classifier.headPool}x${classifier.headPool})`;
  if (classifier.headPoolType !== "avg")
    return "ROI guidance needs an average-pooled head (the closed form of Grad-CAM assumes it)";
  const features = pooledFeatureLayer(classifier);
  const shape = features.outputShape as number[];
  const grid: [number, number] = [shape[1] ?? 1, shape[2] ?? 1];
  const model = classifier.model;
  return {
    weight,
    grid,
    forward: (x, training, classOneHot) => {
      const [a, hidden, logits] = runLayers(
        model,
        [x],
        [features.name, layerNames.dense, layerNames.logits],
        {
          training,
          ...runOptions,
        },
      ) as [tf.Tensor4D, tf.Tensor2D, tf.Tensor2D];
      const gradient = embeddingGradient(model, hidden, classOneHot, classifier.headBatchNorm);
      return { logits, evidence: classEvidenceMap(a, gradient) };
    },
  };
}
