// When a campaign read completes an image (every assignment of it done), the campaign's rule turns its reads into
// a Consensus row or an Adjudication. Called inside the transaction that stores the completing read (under the
// case's advisory lock), so an image is settled exactly once and never half-settled.
import { recordAudit, type Prisma } from "@cxr/db";
import { maskOverlap } from "@cxr/agreement";
import { rasterizeRois } from "@cxr/imaging";
import { storedRoiSchema, type StoredRoi } from "@cxr/domain";
import { applyConsensusRule, type RuleOutcome } from "./rules";

type Tx = Prisma.TransactionClient;

/** ROIs are compared as masks on this grid (normalised coordinates): fine enough for lesion-sized regions. */
export const OVERLAP_GRID = 128;

export interface CampaignRead {
  id: string;
  classId: string;
  secondOpinion: boolean;
  readerId: string | null;
  rois: StoredRoi[];
}

/** The campaign's reads of an image (one per assignment), each with its ROIs, oldest first. */
export async function campaignReads(db: Pick<Tx, "read">, campaignId: string, imageId: string) {
  const rows = await db.read.findMany({
    where: { campaignId, imageId, source: "READER", assignmentId: { not: null } },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      classId: true,
      secondOpinion: true,
      notes: true,
      readerId: true,
      reader: { select: { name: true, role: true } },
      annotations: {
        where: { deletedAt: null },
        orderBy: { createdAt: "asc" },
        select: { shape: true, points: true, strokeWidth: true, classId: true },
      },
    },
  });
  return rows.map(({ annotations, ...r }) => ({
    ...r,
    rois: annotations.flatMap((a) => {
      const roi = storedRoiSchema.safeParse(a);
      return roi.success ? [{ ...roi.data, classId: a.classId }] : [];
    }),
  }));
}

/** The union of a read's ROIs as a mask on the overlap grid. */
export async function roiMask(rois: readonly StoredRoi[]): Promise<Uint8Array> {
  return (await rasterizeRois(rois, OVERLAP_GRID, OVERLAP_GRID)).data;
}

/**
 * The smallest IoU over the pairs of reads where at least one drew ROIs (a read without ROIs against one with:
 * IoU 0), or null when no read drew any.
 */
export async function minPairwiseIou(reads: readonly { rois: StoredRoi[] }[]): Promise<number | null> {
  if (reads.every((r) => r.rois.length === 0)) return null;
  const masks = await Promise.all(reads.map((r) => roiMask(r.rois)));
  let min = 1;
  for (let i = 0; i < masks.length; i++)
    for (let j = i + 1; j < masks.length; j++) min = Math.min(min, maskOverlap(masks[i]!, masks[j]!).iou);
  return min;
}

/**
 * Settles the image if its campaign reads are complete: the outcome, or null while reads are still due (or the
 * image was settled already).
 */
export async function settleImage(tx: Tx, campaignId: string, imageId: string): Promise<RuleOutcome | null> {
  const assignments = await tx.assignment.findMany({
    where: { campaignId, imageId, status: { not: "SKIPPED" } },
    select: { status: true },
  });
  if (assignments.length === 0 || assignments.some((a) => a.status !== "DONE")) return null;
  const already = await tx.adjudication.findUnique({
    where: { campaignId_imageId: { campaignId, imageId } },
    select: { id: true },
  });
  if (already) return null;
  const campaign = await tx.campaign.findUniqueOrThrow({
    where: { id: campaignId },
    select: { labelSetId: true, consensusRule: true, iouThreshold: true },
  });
  const reads = await campaignReads(tx, campaignId, imageId);
  if (reads.length === 0) return null;
  const outcome = applyConsensusRule(
    campaign.consensusRule,
    reads,
    await minPairwiseIou(reads),
    campaign.iouThreshold,
  );
  if (outcome.kind === "adjudication") {
    const row = await tx.adjudication.create({ data: { campaignId, imageId, reason: outcome.reason } });
    await recordAudit(tx, {
      action: "adjudication.requested",
      entityType: "Adjudication",
      entityId: row.id,
      reason: outcome.rationale,
      after: { campaignId, imageId, reason: outcome.reason, readIds: reads.map((r) => r.id) },
    });
    return outcome;
  }
  const consensus = await writeConsensus(tx, {
    imageId,
    labelSetId: campaign.labelSetId,
    campaignId,
    classId: outcome.classId,
    method: outcome.method,
    agreement: outcome.agreement,
    readCount: reads.length,
    decidedById: null,
    rationale: outcome.rationale,
  });
  await recordAudit(tx, {
    action: "consensus.reached",
    entityType: "Consensus",
    entityId: consensus.id,
    after: {
      campaignId,
      imageId,
      classId: outcome.classId,
      method: outcome.method,
      agreement: outcome.agreement,
    },
  });
  return outcome;
}

export interface ConsensusData {
  imageId: string;
  labelSetId: string;
  campaignId: string;
  classId: string;
  method: "SINGLE_READER" | "MAJORITY" | "UNANIMOUS" | "ADJUDICATED";
  agreement: number;
  readCount: number;
  decidedById: string | null;
  rationale: string;
}

/** The image's consensus in its label set (one per image and label set: a newer campaign's replaces it). */
export function writeConsensus(tx: Pick<Tx, "consensus">, data: ConsensusData) {
  const { imageId, labelSetId, ...rest } = data;
  return tx.consensus.upsert({
    where: { imageId_labelSetId: { imageId, labelSetId } },
    create: data,
    update: rest,
    select: { id: true },
  });
}
