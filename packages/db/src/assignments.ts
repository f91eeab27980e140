// Filling a campaign's reading queue: which reader reads which image, and with what priority. The review
// queue shows a reader's open assignments by priority (higher first), then by assignedAt (earlier first), so
// the campaign's strategy is applied once, here, when the images are assigned (the score is @cxr/domain's
// strategyPriority). Used by tests and seeds until campaigns have an administration screen.
import { strategyPriority } from "@cxr/domain";
import type { Db } from "./client";

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
