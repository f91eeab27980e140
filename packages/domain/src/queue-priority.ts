// An assignment's priority under its campaign's queue strategy: the strategy is applied once, when images
// are assigned, and the reading queue shows higher first, ties in the order assigned.
import type { QueueStrategy } from "./enums";
import { criticalConfusion, entropy, leastConfidence, margin, voteEntropy } from "./uncertainty";

export interface PredictionScores {
  /** aligned with the label set's class index */
  probabilities: number[];
  confidence: number;
  /** the scores stored with the prediction; null ones are computed from the probabilities */
  entropy: number | null;
  margin: number | null;
  leastConfidence: number | null;
  bald: number | null;
}

export interface PriorityInput {
  /** the campaign model's prediction for the image, if there is one */
  prediction: PredictionScores | null;
  /** the class each model version of the label set predicted for the image (the committee's votes) */
  committeeVotes: string[];
  /** class indexes of the label set's critical classes (pneumonia, COVID-19) */
  criticalIndexes: number[];
  random: () => number;
}

/**
 * - FIFO: 0 for every image, so the queue follows the order the images were assigned in.
 * - RANDOM: a number drawn once per assignment: shuffled, but stable between visits.
 * - ENTROPY: the prediction's entropy (the most uncertain first).
 * - MARGIN: 1 − the margin between the two most probable classes (the closest call first).
 * - LEAST_CONFIDENCE: 1 − the top probability.
 * - BALD: the BALD score (disagreement of Monte-Carlo dropout passes).
 * - COMMITTEE_DISAGREEMENT: the entropy of the classes the label set's model versions voted for (two votes
 *   at least).
 * - CRITICAL_CONFUSION: how evenly the prediction is split between pneumonia and COVID-19.
 *
 * An image without a score gets 0, after every scored one.
 */
export function strategyPriority(strategy: QueueStrategy, input: PriorityInput): number {
  const p = input.prediction;
  switch (strategy) {
    case "FIFO":
      return 0;
    case "RANDOM":
      return input.random();
    case "ENTROPY":
      return p ? (p.entropy ?? entropy(p.probabilities)) : 0;
    case "MARGIN":
      return p ? 1 - (p.margin ?? margin(p.probabilities)) : 0;
    case "LEAST_CONFIDENCE":
      return p ? (p.leastConfidence ?? leastConfidence(p.probabilities)) : 0;
    case "BALD":
      return p?.bald ?? 0;
    case "COMMITTEE_DISAGREEMENT":
      return input.committeeVotes.length < 2 ? 0 : voteEntropy(input.committeeVotes);
    case "CRITICAL_CONFUSION":
      return p ? criticalConfusion(p.probabilities, input.criticalIndexes) : 0;
    // these rank a whole batch (embeddings, Grad-CAM maps, several scores at once): batchPriorities
    case "CAM_ROI_DISAGREEMENT":
    case "DIVERSITY":
    case "WEIGHTED_MIX":
      throw new Error(`${strategy} ranks the campaign's images together: it has no per-image priority`);
  }
}
