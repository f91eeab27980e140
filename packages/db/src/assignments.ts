// Filling a campaign's reading queue: which reader reads which image, and with what priority. The review
// queue shows a reader's open assignments by priority (higher first), then by assignedAt (earlier first), so
// the campaign's strategy is applied once, here, when the images are assigned (the score is @cxr/domain's
// strategyPriority; the batch strategies' is batchPriorities, over the campaign's images and the new ones
// together). Used by the campaign administration, tests and seeds.
import {
  batchPriorities,
  isBatchStrategy,
  mixableStrategies,
  strategyPriority,
  strategyWeightsSchema,
  type BatchImage,
  type PriorityInput,
  type QueueStrategy,
} from "@cxr/domain";
import type { Db } from "./client";

export interface CreateAssignmentsInput {
  campaignId: string;
  /** in the order they should be read under FIFO */
  imageIds: string[];
  /** the readers; each image goes to `readsPerImage` distinct ones, the least loaded first (ties: this order) */
  userIds: string[];
  random?: () => number;
  now?: Date;
  /**
   * What the batch strategies need, keyed by image id, loaded by the caller (they live in object storage): the
   * campaign model's embeddings (DIVERSITY) and the share of each prediction's Grad-CAM outside the readers'
   * regions (CAM_ROI_DISAGREEMENT). Images missing from them are ranked after the others.
   */
  batch?: BatchSignals;
}

export interface BatchSignals {
  embeddings: ReadonlyMap<string, readonly number[]>;
  camOutside: ReadonlyMap<string, number>;
}

/**
 * Picks `count` readers for one image: never one who already has it, the least loaded first, ties broken by
 * the order given. `load` is updated, so successive images spread the work evenly.
 */
function pickReaders(userIds: string[], load: Map<string, number>, taken: Set<string>, count: number) {
  return userIds
    .filter((u) => !taken.has(u))
    .map((u, order) => ({ u, order, n: load.get(u) ?? 0 }))
    .sort((a, b) => a.n - b.n || a.order - b.order)
    .slice(0, Math.max(0, count))
    .map(({ u }) => {
      load.set(u, (load.get(u) ?? 0) + 1);
      return u;
    });
}

/**
 * Adds images to a campaign (CampaignImage, with the strategy's priority) and gives each `campaign.readsPerImage`
 * distinct readers (PENDING): an image that already has some reads assigned gets only the missing ones, each
 * from a reader who does not have it yet, the least loaded in this campaign first, so images added to a running
 * campaign (or readers added to it) are balanced the same way. Idempotent: an image already in the campaign or an
 * existing assignment is left as it is. Returns how many assignments were created.
 */
export async function createAssignments(db: Db, input: CreateAssignmentsInput): Promise<{ created: number }> {
  const userIds = [...new Set(input.userIds)];
  if (userIds.length === 0 || input.imageIds.length === 0) return { created: 0 };
  const imageIds = [...new Set(input.imageIds)];
  const campaign = await db.campaign.findUniqueOrThrow({
    where: { id: input.campaignId },
    select: {
      id: true,
      strategy: true,
      strategyWeights: true,
      readsPerImage: true,
      labelSetId: true,
      modelVersionId: true,
    },
  });
  const modelVersionId = campaign.modelVersionId ?? (await campaignModel(db, campaign.labelSetId));
  // batch strategies rank the new images against those already in the campaign
  const inCampaign = isBatchStrategy(campaign.strategy)
    ? (
        await db.campaignImage.findMany({ where: { campaignId: campaign.id }, select: { imageId: true } })
      ).map((c) => c.imageId)
    : [];
  const scored = [...new Set([...inCampaign, ...imageIds])];
  const predictions = await db.prediction.findMany({
    where: { imageId: { in: scored }, modelVersion: { labelSetId: campaign.labelSetId } },
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
  const priorityInput = (imageId: string): PriorityInput => {
    const mine = predictions.filter((p) => p.imageId === imageId);
    return {
      prediction: mine.find((p) => p.modelVersionId === modelVersionId) ?? null,
      committeeVotes: mine.map((p) => p.predictedClassId),
      criticalIndexes: critical.map((c) => c.index),
      random,
    };
  };
  const priorities = isBatchStrategy(campaign.strategy)
    ? batchPriorityMap(campaign, scored, new Set(inCampaign), priorityInput, input.batch)
    : new Map(imageIds.map((id) => [id, strategyPriority(campaign.strategy, priorityInput(id))]));

  return db.$transaction(
    async (tx) => {
      const existingRows = await tx.assignment.findMany({
        where: { campaignId: campaign.id },
        select: { imageId: true, userId: true },
      });
      const load = new Map<string, number>();
      const readersOf = new Map<string, Set<string>>();
      for (const a of existingRows) {
        load.set(a.userId, (load.get(a.userId) ?? 0) + 1);
        const set = readersOf.get(a.imageId) ?? new Set<string>();
        set.add(a.userId);
        readersOf.set(a.imageId, set);
      }
      let created = 0;
      for (const [i, imageId] of imageIds.entries()) {
        const priority = priorities.get(imageId) ?? 0;
        const existing = await tx.campaignImage.findUnique({
          where: { campaignId_imageId: { campaignId: campaign.id, imageId } },
          select: { priority: true },
        });
        const imagePriority = existing?.priority ?? priority;
        if (!existing)
          await tx.campaignImage.create({ data: { campaignId: campaign.id, imageId, priority } });
        const taken = readersOf.get(imageId) ?? new Set<string>();
        const readers = pickReaders(userIds, load, taken, campaign.readsPerImage - taken.size);
        if (readers.length === 0) continue;
        // one millisecond apart, so FIFO (and every tie) keeps the order the images were given in
        const assignedAt = new Date(base + i);
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

/** The batch strategy's priority of each image (those in the campaign included, which keep theirs). */
function batchPriorityMap(
  campaign: { strategy: QueueStrategy; strategyWeights: unknown },
  imageIds: string[],
  inCampaign: ReadonlySet<string>,
  priorityInput: (imageId: string) => PriorityInput,
  batch: BatchSignals | undefined,
): Map<string, number> {
  if (!isBatchStrategy(campaign.strategy)) throw new Error(`${campaign.strategy} is not a batch strategy`);
  const images = imageIds.map((id): BatchImage => {
    const input = priorityInput(id);
    const scores: BatchImage["scores"] = {};
    for (const s of mixableStrategies)
      if (s !== "DIVERSITY" && s !== "CAM_ROI_DISAGREEMENT")
        scores[s] =
          input.prediction || s === "RANDOM" || s === "COMMITTEE_DISAGREEMENT"
            ? strategyPriority(s, input)
            : null;
    return {
      inCampaign: inCampaign.has(id),
      embedding: batch?.embeddings.get(id) ?? null,
      camOutside: batch?.camOutside.get(id) ?? null,
      scores,
    };
  });
  const weights =
    campaign.strategy === "WEIGHTED_MIX" ? strategyWeightsSchema.parse(campaign.strategyWeights) : undefined;
  const priorities = batchPriorities(campaign.strategy, images, weights);
  return new Map(imageIds.map((id, i) => [id, priorities[i]!]));
}

/**
 * Evens out the open work of a campaign over `userIds` (e.g. after a reader joined a running campaign): moves
 * not-yet-opened (PENDING) assignments from the reader with the most open work to the one with the least, never
 * to a reader who already has that image, until no move narrows the gap. Started and finished work stays with
 * its reader. Returns how many assignments moved.
 */
export async function rebalanceAssignments(
  db: Db,
  campaignId: string,
  userIds: string[],
): Promise<{ moved: number }> {
  const readers = [...new Set(userIds)];
  if (readers.length < 2) return { moved: 0 };
  return db.$transaction(
    async (tx) => {
      const rows = await tx.assignment.findMany({
        where: { campaignId },
        select: { id: true, imageId: true, userId: true, status: true },
        // the latest in the queue move first, so what a reader is about to open stays theirs
        orderBy: [{ priority: "asc" }, { assignedAt: "desc" }, { id: "asc" }],
      });
      const open = new Map(readers.map((u) => [u, 0]));
      const has = new Set(rows.map((r) => `${r.imageId}|${r.userId}`));
      for (const r of rows)
        if ((r.status === "PENDING" || r.status === "IN_PROGRESS") && open.has(r.userId))
          open.set(r.userId, open.get(r.userId)! + 1);
      const movable = rows.filter((r) => r.status === "PENDING" && open.has(r.userId));
      const moves: { id: string; to: string }[] = [];
      for (;;) {
        const byLoad = [...open.entries()].sort((a, b) => a[1] - b[1]);
        const [to, low] = byLoad[0]!;
        const [from, high] = byLoad[byLoad.length - 1]!;
        if (high - low < 2) break;
        const index = movable.findIndex((r) => r.userId === from && !has.has(`${r.imageId}|${to}`));
        if (index < 0) break;
        const [row] = movable.splice(index, 1);
        has.delete(`${row!.imageId}|${from}`);
        has.add(`${row!.imageId}|${to}`);
        open.set(from, high - 1);
        open.set(to, low + 1);
        moves.push({ id: row!.id, to });
      }
      for (const m of moves)
        // only while still PENDING: a case its reader opened meanwhile stays theirs
        await tx.assignment.updateMany({ where: { id: m.id, status: "PENDING" }, data: { userId: m.to } });
      return { moved: moves.length };
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
