// Scores for choosing which images a radiologist should label next. The scores of one prediction (entropy,
// margin, least confidence, BALD, vote entropy) are @cxr/domain's pure functions, shared with the queue's
// priorities; this file adds what needs a model: Monte-Carlo dropout samples and a committee's votes.
import { argmax, bald, entropy, leastConfidence, margin, voteEntropy as entropyOfVotes } from "@cxr/domain";
import * as tf from "@tensorflow/tfjs";
import { type Classifier, extractHead } from "./models/classifier";
import { layerNames } from "./models/head";

/** Vote entropy of a committee: entropy of the share of members voting for each class (their argmax). */
export function voteEntropy(memberProbs: readonly ArrayLike<number>[]): number {
  return entropyOfVotes(memberProbs.map(argmax));
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
  if (extra.committee) scores.vote_entropy = voteEntropy(extra.committee);
  return scores;
}
