// Filling a campaign's reading queue: which reader reads which image, and with what priority. The review
// queue shows a reader's open assignments by priority (higher first), then by assignedAt (earlier first), so
// the campaign's strategy is applied once, here, when the images are assigned. Used by tests and seeds
// until campaigns have an administration screen.
import type { Db } from "./client";
import type { QueueStrategy } from "./generated/prisma/client";

export interface PredictionScores {
  /** aligned with the label set's class index */
  probabilities: number[];
  confidence: number;
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

const entropyOf = (ps: number[]) => 0 - ps.reduce((s, p) => s + (p > 0 ? p * Math.log(p) : 0), 0);

function topTwo(ps: number[]): [number, number] {
  const sorted = [...ps].sort((a, b) => b - a);
  return [sorted[0] ?? 0, sorted[1] ?? 0];
}

/**
 * An assignment's priority under a campaign's strategy; the queue shows higher first, ties by assignedAt.
 *
 * - FIFO: 0 for every image, so the queue follows the order the images were assigned in.
 * - RANDOM: a number drawn once per assignment: shuffled, but stable between visits.
 * - ENTROPY: the prediction's entropy (the most uncertain first).
 * - MARGIN: 1 − the margin between the two most probable classes (the closest call first).
 * - LEAST_CONFIDENCE: 1 − the top probability.
 * - BALD: the BALD score (disagreement of Monte-Carlo dropout passes).
 * - COMMITTEE_DISAGREEMENT: the entropy of the classes the label set's model versions voted for.
 * - CRITICAL_CONFUSION: 2 × the smaller probability of the two most probable critical classes, so 1 when a
 *   prediction is split evenly between pneumonia and COVID-19 and 0 when it has no doubt between them.
 *
 * An image without a score gets 0, after every scored one (and, in FIFO, all are 0).
 */
export function strategyPriority(strategy: QueueStrategy, input: PriorityInput): number {
  const p = input.prediction;
  switch (strategy) {
    case "FIFO":
      return 0;
    case "RANDOM":
      return input.random();
    case "ENTROPY":
      return p ? (p.entropy ?? entropyOf(p.probabilities)) : 0;
    case "MARGIN": {
      if (!p) return 0;
      const [a, b] = topTwo(p.probabilities);
      return 1 - (p.margin ?? a - b);
    }
    case "LEAST_CONFIDENCE":
      return p ? (p.leastConfidence ?? 1 - p.confidence) : 0;
    case "BALD":
      return p?.bald ?? 0;
    case "COMMITTEE_DISAGREEMENT": {
      const votes = input.committeeVotes;
      if (votes.length < 2) return 0;
      const counts = new Map<string, number>();
      for (const v of votes) counts.set(v, (counts.get(v) ?? 0) + 1);
      return entropyOf([...counts.values()].map((c) => c / votes.length));
    }
    case "CRITICAL_CONFUSION": {
      if (!p) return 0;
      const critical = input.criticalIndexes.map((i) => p.probabilities[i] ?? 0).sort((a, b) => b - a);
      return critical.length >= 2 ? 2 * Math.min(critical[0]!, critical[1]!) : 0;
    }
  }
}

export interface CreateAssignmentsInput {
  campaignId: string;
  /** in the order they should be read under FIFO */
  imageIds: string[];
  /** the readers; each image goes to `readsPerImage` of them, in turn, so the work is spread evenly */
  userIds: string[];
  random?: () => number;
  now?: Date;
}

/**
 * Adds images to a campaign (CampaignImage, with the strategy's priority) and assigns each to
 * `campaign.readsPerImage` readers (PENDING). Idempotent: an image already in the campaign or an existing
 * assignment is left as it is. Returns how many assignments were created.
 */
export async function createAssignments(db: Db, input: CreateAssignmentsInput): Promise<{ created: number }> {
  if (input.userIds.length === 0 || input.imageIds.length === 0) return { created: 0 };
  const imageIds = [...new Set(input.imageIds)];
  const campaign = await db.campaign.findUniqueOrThrow({
    where: { id: input.campaignId },
    select: { id: true, strategy: true, readsPerImage: true, labelSetId: true, modelVersionId: true },
  });
  const modelVersionId = campaign.modelVersionId ?? (await campaignModel(db, campaign.labelSetId));
  const predictions = await db.prediction.findMany({
    where: { imageId: { in: imageIds }, modelVersion: { labelSetId: campaign.labelSetId } },
    select: {
      imageId: true,
      modelVersionId: true,
      predictedClassId: true,
      probabilities: true,
      confidence: true,
      entropy: true,
      margin: true,
      leastConfidence: true,
      bald: true,
    },
  });
  const critical = await db.labelClass.findMany({
    where: { labelSetId: campaign.labelSetId, critical: true },
    select: { index: true },
  });
  const random = input.random ?? Math.random;
  const base = (input.now ?? new Date()).getTime();
  const perImage = Math.max(1, Math.min(campaign.readsPerImage, input.userIds.length));

  return db.$transaction(
    async (tx) => {
      let created = 0;
      for (const [i, imageId] of imageIds.entries()) {
        const mine = predictions.filter((p) => p.imageId === imageId);
        const priority = strategyPriority(campaign.strategy, {
          prediction: mine.find((p) => p.modelVersionId === modelVersionId) ?? null,
          committeeVotes: mine.map((p) => p.predictedClassId),
          criticalIndexes: critical.map((c) => c.index),
          random,
        });
        const existing = await tx.campaignImage.findUnique({
          where: { campaignId_imageId: { campaignId: campaign.id, imageId } },
          select: { priority: true },
        });
        const imagePriority = existing?.priority ?? priority;
        if (!existing)
          await tx.campaignImage.create({ data: { campaignId: campaign.id, imageId, priority } });
        // one millisecond apart, so FIFO (and every tie) keeps the order the images were given in
        const assignedAt = new Date(base + i);
        const readers = Array.from(
          { length: perImage },
          (_, k) => input.userIds[(i + k) % input.userIds.length]!,
        );
        const result = await tx.assignment.createMany({
          data: readers.map((userId) => ({
            campaignId: campaign.id,
            imageId,
            userId,
            priority: imagePriority,
            assignedAt,
          })),
          skipDuplicates: true,
        });
        created += result.count;
      }
      return { created };
    },
    { timeout: 60_000 },
  );
}

/** The model a campaign without its own model orders by: the label set's newest champion, else its newest. */
export async function campaignModel(
  db: Pick<Db, "modelVersion">,
  labelSetId: string,
): Promise<string | null> {
  const model =
    (await db.modelVersion.findFirst({
      where: { labelSetId, status: "CHAMPION" },
      orderBy: [{ promotedAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }],
      select: { id: true },
    })) ??
    (await db.modelVersion.findFirst({
      where: { labelSetId },
      orderBy: { createdAt: "desc" },
      select: { id: true },
    }));
  return model?.id ?? null;
}
