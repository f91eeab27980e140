// Scores for choosing which images a radiologist should label next. For all of them, higher means "more
// informative" except `margin` (top-1 minus top-2 probability: small means uncertain). Natural logarithms.
import * as tf from "@tensorflow/tfjs";
import { type Classifier, extractHead } from "./models/classifier";
import { layerNames } from "./models/head";

export function entropy(p: ArrayLike<number>): number {
  let h = 0;
  for (let i = 0; i < p.length; i++) {
    const v = p[i] ?? 0;
    if (v > 0) h -= v * Math.log(v);
  }
  return h;
}

export function margin(p: ArrayLike<number>): number {
  let first = -Infinity;
  let second = -Infinity;
  for (let i = 0; i < p.length; i++) {
    const v = p[i] ?? 0;
    if (v > first) [first, second] = [v, first];
    else if (v > second) second = v;
  }
  return p.length < 2 ? 1 : first - second;
}

export function leastConfidence(p: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < p.length; i++) max = Math.max(max, p[i] ?? 0);
  return 1 - max;
}

/**
 * BALD (Houlsby et al.; Gal et al. 2017) from Monte-Carlo samples of one image's probabilities:
 * mutual information = H(mean prediction) - mean H(prediction), the disagreement between dropout masks.
 */
export function bald(samples: readonly ArrayLike<number>[]): number {
  if (samples.length === 0) return 0;
  const k = samples[0]?.length ?? 0;
  const mean = new Array<number>(k).fill(0);
  let meanEntropy = 0;
  for (const s of samples) {
    for (let c = 0; c < k; c++) mean[c] = (mean[c] ?? 0) + (s[c] ?? 0) / samples.length;
    meanEntropy += entropy(s) / samples.length;
  }
  return Math.max(0, entropy(mean) - meanEntropy);
}

/** Vote entropy of a committee: entropy of the share of members voting for each class (argmax). */
export function voteEntropy(memberProbs: readonly ArrayLike<number>[], classes: number): number {
  const votes = new Array<number>(classes).fill(0);
  for (const p of memberProbs) {
    let best = 0;
    for (let c = 1; c < classes; c++) if ((p[c] ?? 0) > (p[best] ?? 0)) best = c;
    votes[best] = (votes[best] ?? 0) + 1;
  }
  return entropy(votes.map((v) => v / Math.max(1, memberProbs.length)));
}

/**
 * Monte-Carlo dropout in the head: `samples` stochastic passes over cached embeddings with dropout on (and
 * batch normalisation left in inference mode). Returns [sample][image] probabilities. Seeded.
 */
export async function mcDropoutProbs(
  classifier: Classifier,
  embeddings: Float32Array,
  count: number,
  options: { samples?: number; rate?: number; seed?: number } = {},
): Promise<Float32Array[][]> {
  const samples = options.samples ?? 20;
  const rate = options.rate ?? 0.5;
  const seed = options.seed ?? 42;
  const head = extractHead(classifier);
  const k = classifier.classes.length;
  const size = embeddings.length / Math.max(1, count);
  const out: Float32Array[][] = [];
  try {
    const layer = (name: string) => head.layers.find((l) => l.name === name);
    for (let s = 0; s < samples; s++) {
      const probs = tf.tidy(() => {
        let x: tf.Tensor = tf.tensor2d(embeddings, [count, size]);
        const bn = layer(layerNames.batchNorm);
        if (bn) x = bn.apply(x, { training: false }) as tf.Tensor;
        x = (layer(layerNames.dense) as tf.layers.Layer).apply(x) as tf.Tensor;
        x = tf.dropout(x, rate, undefined, seed + s);
        return tf.softmax((layer(layerNames.logits) as tf.layers.Layer).apply(x) as tf.Tensor);
      });
      const data = (await probs.data()) as Float32Array;
      probs.dispose();
      out.push(Array.from({ length: count }, (_, i) => data.slice(i * k, (i + 1) * k)));
    }
  } finally {
    head.dispose();
  }
  return out;
}

export interface ActiveLearningScores {
  entropy: number;
  margin: number;
  least_confidence: number;
  bald?: number;
  vote_entropy?: number;
}

/** All scores for one image: its probabilities, optionally MC-dropout samples and committee members' probabilities. */
export function activeLearningScores(
  probs: ArrayLike<number>,
  extra: { mcSamples?: readonly ArrayLike<number>[]; committee?: readonly ArrayLike<number>[] } = {},
): ActiveLearningScores {
  const scores: ActiveLearningScores = {
    entropy: entropy(probs),
    margin: margin(probs),
    least_confidence: leastConfidence(probs),
  };
  if (extra.mcSamples) scores.bald = bald(extra.mcSamples);
  if (extra.committee) scores.vote_entropy = voteEntropy(extra.committee, probs.length);
  return scores;
}
