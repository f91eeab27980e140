// The adjudication queue: images whose reads disagree (or that a reader sent for a second opinion, or every
// image under the ADJUDICATOR rule) wait for one of the campaign's adjudicators (or an admin), who sees the reads
// side by side and decides a label with a rationale. The decision is the image's Consensus (ADJUDICATED).
import { recordAudit, type Db } from "@cxr/db";
import { DomainError, idSchema, lockKey, withAdvisoryLock, type Role } from "@cxr/domain";
import { z } from "zod";
import { campaignReads, writeConsensus } from "./settle";

export interface Adjudicator {
  id: string;
  role: Role;
}

/** Reader colours on the adjudication screen, in the order the reads were made. */
export const readerColours = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4"] as const;

/** Campaigns the user adjudicates: every campaign for an admin, else where they are an ADJUDICATOR member. */
function adjudicatedCampaigns(user: Adjudicator) {
  return user.role === "ADMIN"
    ? {}
    : { members: { some: { userId: user.id, role: "ADJUDICATOR" as const } } };
}

export const adjudicationQueueSchema = z.object({
  campaignId: idSchema.optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

export async function listAdjudications(
  db: Db,
  user: Adjudicator,
  raw: z.input<typeof adjudicationQueueSchema>,
) {
  const input = adjudicationQueueSchema.parse(raw);
  const rows = await db.adjudication.findMany({
    where: {
      status: "PENDING",
      ...(input.campaignId ? { campaignId: input.campaignId } : {}),
      campaign: adjudicatedCampaigns(user),
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: input.limit,
    select: {
      id: true,
      imageId: true,
      reason: true,
      createdAt: true,
      campaign: { select: { id: true, name: true } },
    },
  });
  return rows.map((r) => ({
    id: r.id,
    imageId: r.imageId,
    reason: r.reason,
    createdAt: r.createdAt,
    campaignId: r.campaign.id,
    campaignName: r.campaign.name,
  }));
}

async function loadForAdjudicator(db: Pick<Db, "adjudication">, user: Adjudicator, id: string) {
  const row = await db.adjudication.findUnique({
    where: { id },
    select: {
      id: true,
      campaignId: true,
      imageId: true,
      reason: true,
      status: true,
      campaign: {
        select: {
          name: true,
          labelSetId: true,
          members: { where: { userId: user.id, role: "ADJUDICATOR" }, select: { userId: true } },
        },
      },
    },
  });
  if (!row) throw new DomainError("NOT_FOUND", "This adjudication does not exist.");
  if (user.role !== "ADMIN" && row.campaign.members.length === 0)
    throw new DomainError(
      "FORBIDDEN",
      "Only this campaign's adjudicators (and administrators) decide its images.",
    );
  return row;
}

/** One adjudication with everything the screen shows: the image, the label set, each read with its colour. */
export async function getAdjudication(db: Db, user: Adjudicator, id: string) {
  const row = await loadForAdjudicator(db, user, id);
  const [image, classes, reads, decided] = await Promise.all([
    db.image.findUniqueOrThrow({
      where: { id: row.imageId },
      select: { id: true, width: true, height: true, modality: true, viewPosition: true },
    }),
    db.labelClass.findMany({
      where: { labelSetId: row.campaign.labelSetId },
      orderBy: { index: "asc" },
      select: { id: true, key: true, name: true, color: true, retired: true },
    }),
    campaignReads(db, row.campaignId, row.imageId),
    db.adjudication.findUniqueOrThrow({
      where: { id },
      select: {
        decidedAt: true,
        decidedBy: { select: { name: true } },
        consensus: { select: { classId: true, rationale: true } },
      },
    }),
  ]);
  return {
    id: row.id,
    status: row.status,
    reason: row.reason,
    campaignId: row.campaignId,
    campaignName: row.campaign.name,
    image,
    classes,
    reads: reads.map((r, i) => ({
      id: r.id,
      readerName: r.reader?.name ?? "Unknown reader",
      readerRole: r.reader?.role ?? null,
      classId: r.classId,
      secondOpinion: r.secondOpinion,
      notes: r.notes,
      colour: readerColours[i % readerColours.length]!,
      rois: r.rois,
    })),
    decision:
      row.status === "DECIDED"
        ? {
            classId: decided.consensus?.classId ?? null,
            rationale: decided.consensus?.rationale ?? null,
            decidedAt: decided.decidedAt,
            decidedBy: decided.decidedBy?.name ?? null,
          }
        : null,
  };
}

export const decideSchema = z.object({
  adjudicationId: idSchema,
  classId: idSchema,
  rationale: z.string().trim().min(3, "Say why, in a few words.").max(2000),
});

/** The adjudicator's decision: the image's Consensus (ADJUDICATED) and the adjudication DECIDED, audited. */
export async function decideAdjudication(
  db: Db,
  user: Adjudicator,
  raw: z.input<typeof decideSchema>,
): Promise<{ consensusId: string }> {
  const input = decideSchema.parse(raw);
  return db.$transaction(async (tx) => {
    const first = await loadForAdjudicator(tx, user, input.adjudicationId);
    // one decision per image at a time, with the reads' own lock on the case
    await withAdvisoryLock(tx, lockKey("review", first.imageId));
    const row = await loadForAdjudicator(tx, user, input.adjudicationId);
    if (row.status !== "PENDING")
      throw new DomainError("CONFLICT", "This image has been decided already (perhaps in another window).");
    const cls = await tx.labelClass.findFirst({
      where: { id: input.classId, labelSetId: row.campaign.labelSetId, retired: false },
      select: { id: true },
    });
    if (!cls) throw new DomainError("BAD_REQUEST", "Choose a current class of this campaign's label set.");
    const reads = await campaignReads(tx, row.campaignId, row.imageId);
    const agreeing = reads.filter((r) => r.classId === input.classId).length;
    const consensus = await writeConsensus(tx, {
      imageId: row.imageId,
      labelSetId: row.campaign.labelSetId,
      campaignId: row.campaignId,
      classId: input.classId,
      method: "ADJUDICATED",
      agreement: reads.length > 0 ? agreeing / reads.length : 0,
      readCount: reads.length,
      decidedById: user.id,
      rationale: input.rationale,
    });
    await tx.adjudication.update({
      where: { id: row.id },
      data: { status: "DECIDED", decidedAt: new Date(), decidedById: user.id, consensusId: consensus.id },
    });
    await recordAudit(tx, {
      actorId: user.id,
      actorRole: user.role,
      action: "adjudication.decided",
      entityType: "Adjudication",
      entityId: row.id,
      reason: input.rationale,
      before: { status: "PENDING", reason: row.reason },
      after: { status: "DECIDED", classId: input.classId, consensusId: consensus.id },
    });
    return { consensusId: consensus.id };
  });
}
