// Queue priorities of the strategies that rank a campaign's images together rather than one at a time
// (strategyPriority throws for them): DIVERSITY (k-center greedy over the model's embeddings),
// CAM_ROI_DISAGREEMENT (Grad-CAM mass outside the readers' regions, or the nearest labelled neighbours' regions)
// and WEIGHTED_MIX (a weighted sum of the other strategies' normalised ranks). Pure: the caller loads the
// embeddings, the maps' outside shares and the per-image scores. Images already in the campaign keep their
// priority; they are passed in so that new images are ranked against them.
import { z } from "zod";
import { queueStrategies, type QueueStrategy } from "./enums";
import { dist2, kCenterPicks } from "./selection";

/** Batch priority of an image the strategy cannot score (no embedding, no map): after every ranked one. */
export const unrankedPriority = -1;

export const batchStrategies = ["CAM_ROI_DISAGREEMENT", "DIVERSITY", "WEIGHTED_MIX"] as const;
export type BatchStrategy = (typeof batchStrategies)[number];
export const isBatchStrategy = (s: QueueStrategy): s is BatchStrategy =>
  (batchStrategies as readonly string[]).includes(s);

/** What WEIGHTED_MIX can mix: every strategy that says something about an image (FIFO and the mix do not). */
export type MixableStrategy = Exclude<QueueStrategy, "FIFO" | "WEIGHTED_MIX">;
export const mixableStrategies = queueStrategies.filter(
  (s): s is MixableStrategy => s !== "FIFO" && s !== "WEIGHTED_MIX",
) as [MixableStrategy, ...MixableStrategy[]];

/** Campaign.strategyWeights: strategy -> non-negative weight, at least one above 0. */
export const strategyWeightsSchema = z
  .partialRecord(z.enum(mixableStrategies), z.number().finite().nonnegative())
  .refine((w) => Object.values(w).some((v) => (v ?? 0) > 0), {
    message: "A weighted mix needs at least one strategy with a weight above 0.",
  });
export type StrategyWeights = z.infer<typeof strategyWeightsSchema>;

/**
 * Each score's rank mapped onto [0, 1]: 1 for the highest, 0 for the lowest, ties sharing their mean rank; a
 * missing score counts 0 (as if last). One scored image alone gets 1.
 */
export function normalisedRanks(scores: readonly (number | null)[]): number[] {
  const scored = scores
    .map((s, i) => ({ s, i }))
    .filter((x): x is { s: number; i: number } => x.s !== null)
    .sort((a, b) => a.s - b.s);
  const out = new Array<number>(scores.length).fill(0);
  if (scored.length === 1) out[scored[0]!.i] = 1;
  for (let start = 0; start < scored.length && scored.length > 1;) {
    let end = start;
    while (end + 1 < scored.length && scored[end + 1]!.s === scored[start]!.s) end++;
    const rank = (start + end) / 2 / (scored.length - 1);
    for (let j = start; j <= end; j++) out[scored[j]!.i] = rank;
    start = end + 1;
  }
  return out;
}

/**
 * DIVERSITY: images in the campaign are the centres; the others in k-center greedy order, each scored by its
 * distance to the nearest centre when picked (so later additions are ranked in the same units). The first pick
 * of an empty campaign (the typical image) scores above every other pick. Without an embedding: null.
 */
export function diversityScores(
  embeddings: readonly (readonly number[] | null)[],
  inCampaign: readonly boolean[],
): (number | null)[] {
  const present = embeddings.flatMap((e, i) => (e ? [i] : []));
  const points = present.map((i) => embeddings[i]!);
  const centres = present.flatMap((i, j) => (inCampaign[i] ? [j] : []));
  const picks = kCenterPicks(points, points.length, centres);
  const top = Math.max(0, ...picks.map((p) => p.distance ?? 0));
  const out = new Array<number | null>(embeddings.length).fill(null);
  for (const p of picks) out[present[p.index]!] = p.distance ?? top + 1;
  return out;
}

/** Indices of the `k` rows of `candidates` nearest `query` (Euclidean), nearest first, ties to the lower index. */
export function nearestNeighbours(
  query: readonly number[],
  candidates: readonly (readonly number[])[],
  k: number,
): number[] {
  return candidates
    .map((c, i) => ({ i, d: dist2(query, c) }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .slice(0, Math.max(0, k))
    .map((x) => x.i);
}

/** The union of same-sized region masks (value > 0 inside), e.g. the neighbours' regions over one map. */
export function unionMask(masks: readonly ArrayLike<number>[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (const m of masks) {
    if (m.length !== length) throw new Error(`a mask has ${m.length} values, the map ${length}`);
    for (let i = 0; i < length; i++) if (m[i]! > 0) out[i] = 1;
  }
  return out;
}

/** What the batch strategies know of one image (loaded by the caller). */
export interface BatchImage {
  /** already in the campaign: keeps its priority, but new images are ranked against it */
  inCampaign: boolean;
  /** the campaign model's backbone embedding, if cached */
  embedding: readonly number[] | null;
  /** share of the prediction's Grad-CAM mass outside the readers' (or the neighbours') regions, 0..1 */
  camOutside: number | null;
  /** the per-image strategies' scores (strategyPriority), null where the image has none */
  scores: Partial<Record<MixableStrategy, number | null>>;
}

/** The raw score of one mixable strategy for each image (null = not scored). */
function strategyScores(strategy: MixableStrategy, images: readonly BatchImage[]): (number | null)[] {
  if (strategy === "DIVERSITY")
    return diversityScores(
      images.map((i) => i.embedding),
      images.map((i) => i.inCampaign),
    );
  if (strategy === "CAM_ROI_DISAGREEMENT") return images.map((i) => i.camOutside);
  return images.map((i) => i.scores[strategy] ?? null);
}

/**
 * The priority of every image under a batch strategy (the caller stores those of images not yet in the
 * campaign). DIVERSITY and CAM_ROI_DISAGREEMENT: their score, `unrankedPriority` where there is none;
 * WEIGHTED_MIX: sum of weight x normalised rank over the mixed strategies, divided by the weights' sum (0..1).
 */
export function batchPriorities(
  strategy: BatchStrategy,
  images: readonly BatchImage[],
  weights?: StrategyWeights,
): number[] {
  if (strategy !== "WEIGHTED_MIX") return strategyScores(strategy, images).map((s) => s ?? unrankedPriority);
  const w = strategyWeightsSchema.parse(weights ?? {});
  const total = Object.values(w).reduce<number>((s, v) => s + (v ?? 0), 0);
  const out = new Array<number>(images.length).fill(0);
  for (const s of mixableStrategies) {
    const weight = w[s] ?? 0;
    if (weight === 0) continue;
    normalisedRanks(strategyScores(s, images)).forEach((r, i) => (out[i]! += (weight * r) / total));
  }
  return out;
}
