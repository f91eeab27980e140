// Submitting a reader's decision: label, flags, comment and ROIs, as a new read that supersedes the one the
// reader saw. A different read in force means someone else decided meanwhile: CONFLICT, never an overwrite.
// A campaign case's decision is the reader's own read of their assignment: it closes the assignment (DONE)
// in the same transaction, and a blinded reader's read records no prediction. The reader's server draft of
// the case goes in the same transaction too, and so does the reader's lease on it (leases.ts). A submit retried
// with the same submissionId (its answer was lost) gets the read it stored: no second read, no second audit event.
import { recordAudit, type Db, type Prisma } from "@cxr/db";
import { releaseSecondPhase } from "@cxr/db/reader-study-assignments";
import {
  DomainError,
  idSchema,
  lockKey,
  maxRoisPerRead,
  roiSchema,
  withAdvisoryLock,
  type Role,
} from "@cxr/domain";
import { z } from "zod";
import { settleImage } from "../consensus/settle";
import { studyRatingSchema } from "~/lib/reader-study";
import { resolveAssignment, type CampaignCase } from "./campaign";
import { currentRead } from "./case";
import { releaseLease } from "./leases";
import { maySeeModelOutput } from "./visibility";

export const decisionSchema = z.object({
  imageId: idSchema,
  labelSetId: idSchema,
  /** the read in force when the reader opened the case (null: none) */
  baseReadId: idSchema.nullable(),
  classId: idSchema,
  predictionId: idSchema.nullable(),
  /** the campaign assignment the case was read for (null: outside campaigns) */
  assignmentId: idSchema.nullable().default(null),
  notDiagnostic: z.boolean().default(false),
  secondOpinion: z.boolean().default(false),
  comment: z.string().max(4000).default(""),
  durationMs: z
    .number()
    .int()
    .min(0)
    .max(24 * 3600_000),
  rois: z.array(roiSchema).max(maxRoisPerRead).default([]),
  /** reader studies: the 0-100 rating that the study class is present (required there, ignored elsewhere) */
  studyRating: studyRatingSchema.nullable().default(null),
  /**
   * the browser's id of this submit attempt, the same on each retry: a repeat returns the read it stored
   * instead of a second one (absent: no such protection, e.g. scripts)
   */
  submissionId: z.uuid().optional(),
});
export type DecisionInput = z.input<typeof decisionSchema>;

export interface Actor {
  id: string;
  role: Role;
}

export async function submitDecision(db: Db, actor: Actor, raw: DecisionInput): Promise<{ readId: string }> {
  try {
    return await storeDecision(db, actor, decisionSchema.parse(raw));
  } catch (error) {
    // the same id sent at once for another image (another lock, so no check above saw it): the unique index
    if (isSubmissionIdTaken(error)) throw new DomainError("BAD_REQUEST", submissionIdTaken);
    throw error;
  }
}

const submissionIdTaken = "This submission id belongs to another decision. Reload the case and submit again.";

function isSubmissionIdTaken(error: unknown): boolean {
  // Prisma's P2002; over the pg driver adapter its meta names the index (Read_submissionId_key), not a target
  const e = error as { code?: unknown; meta?: unknown } | null;
  return e?.code === "P2002" && JSON.stringify(e.meta ?? {}).includes("submissionId");
}

function storeDecision(
  db: Db,
  actor: Actor,
  input: z.infer<typeof decisionSchema>,
): Promise<{ readId: string }> {
  return db.$transaction(async (tx) => {
    // one decision at a time per case, so the check below and the insert cannot interleave
    await withAdvisoryLock(tx, lockKey("review", input.imageId));
    // a retry of a submit whose answer was lost: before the checks below, which its own read would now fail
    const stored = input.submissionId ? await storedSubmission(tx, actor, input) : null;
    if (stored) return stored;
    if (actor.role === "ANNOTATOR" && !input.assignmentId)
      throw new DomainError(
        "FORBIDDEN",
        "Annotators submit their assignments only: open the image from your tasks.",
      );
    const campaign = input.assignmentId
      ? await resolveAssignment(tx, input.imageId, actor.id, input.assignmentId)
      : null;
    if (campaign) {
      if (campaign.status === "DONE" || campaign.status === "SKIPPED")
        throw new DomainError(
          "CONFLICT",
          "You have already submitted your decision on this assignment (perhaps in another window); it was not changed.",
        );
      if (!campaign.campaignActive)
        throw new DomainError(
          "CONFLICT",
          `The campaign "${campaign.campaignName}" is not active any more: its decisions are closed. Your draft is kept.`,
        );
      if (campaign.labelSetId !== input.labelSetId)
        throw new DomainError("BAD_REQUEST", "This campaign uses another label set.");
      checkTask(campaign.task, input);
      if (campaign.phase !== "SINGLE" && input.studyRating === null)
        throw new DomainError(
          "BAD_REQUEST",
          `Rate how likely ${campaign.studyClass?.name ?? "the study class"} is present (0-100) and submit again.`,
        );
    }
    // a campaign read is independent of the others: only a read outside campaigns has a base to check
    const head = campaign ? null : await currentRead(tx, input.imageId, input.labelSetId);
    if (!campaign && (head?.id ?? null) !== input.baseReadId) {
      const who = head?.readerName ?? "another reader";
      throw new DomainError(
        "CONFLICT",
        head
          ? `${who} submitted a decision on this case while you were reading it. Your draft is kept: review their decision, then submit again to replace it.`
          : "The decision you were changing has been withdrawn. Your draft is kept: reload the case and submit again.",
      );
    }
    await checkReferences(tx, input);
    // before this decision closes the assignment: was the reader blinded while reading?
    const sawModelOutput = await maySeeModelOutput(tx, actor.id, input.imageId);

    const read = await tx.read.create({
      data: {
        imageId: input.imageId,
        labelSetId: input.labelSetId,
        classId: input.classId,
        source: "READER",
        readerId: actor.id,
        // a blinded reader was shown no prediction
        predictionId: sawModelOutput ? input.predictionId : null,
        campaignId: campaign?.campaignId ?? null,
        assignmentId: campaign?.assignmentId ?? null,
        notDiagnostic: input.notDiagnostic,
        secondOpinion: input.secondOpinion,
        notes: input.comment.trim() || null,
        studyRating: campaign && campaign.phase !== "SINGLE" ? input.studyRating : null,
        durationMs: input.durationMs,
        supersedesId: head?.id ?? null,
        submissionId: input.submissionId ?? null,
      },
    });
    const audit = { actorId: actor.id, actorRole: actor.role };
    await recordAudit(tx, {
      ...audit,
      action: head ? "read.corrected" : "read.created",
      entityType: "Read",
      entityId: read.id,
      before: head ? summary(head) : undefined,
      after: summary(read),
    });
    if (campaign) {
      // resolveAssignment read the row under this transaction's lock on the case
      const now = new Date();
      await tx.assignment.update({
        where: { id: campaign.assignmentId },
        data: { status: "DONE", completedAt: now, startedAt: campaign.startedAt ?? now },
      });
      await recordAudit(tx, {
        ...audit,
        action: "assignment.completed",
        entityType: "Assignment",
        entityId: campaign.assignmentId,
        before: { status: campaign.status },
        after: { status: "DONE", readId: read.id },
      });
      // a reader study's other phase of this case opens after the washout
      if (campaign.phase !== "SINGLE")
        await releaseSecondPhase(
          tx,
          {
            campaignId: campaign.campaignId,
            imageId: input.imageId,
            userId: actor.id,
            phase: campaign.phase,
          },
          now,
        );
    }

    // the superseded read's ROIs are replaced by the submitted set: soft-deleted, each change audited
    if (head) {
      const old = await tx.annotation.findMany({ where: { readId: head.id, deletedAt: null } });
      for (const a of old) {
        await tx.annotation.update({ where: { id: a.id }, data: { deletedAt: new Date() } });
        await recordAudit(tx, {
          ...audit,
          action: "annotation.deleted",
          entityType: "Annotation",
          entityId: a.id,
          before: {
            shape: a.shape,
            classId: a.classId,
            points: a.points as Prisma.InputJsonValue,
            strokeWidth: a.strokeWidth,
          },
        });
      }
    }
    for (const roi of input.rois) {
      const a = await tx.annotation.create({
        data: {
          imageId: input.imageId,
          readId: read.id,
          authorId: actor.id,
          classId: roi.classId,
          shape: roi.shape,
          points: roi.points,
          strokeWidth: roi.strokeWidth,
        },
      });
      await recordAudit(tx, {
        ...audit,
        action: "annotation.created",
        entityType: "Annotation",
        entityId: a.id,
        after: {
          shape: roi.shape,
          classId: roi.classId,
          points: roi.points,
          strokeWidth: roi.strokeWidth,
          readId: read.id,
        },
      });
    }
    // the read that completes a campaign image settles it (consensus or adjudication) in this transaction
    // (not a reader study's: its reads are measured against a truth, not merged into one)
    if (campaign?.phase === "SINGLE") await settleImage(tx, campaign.campaignId, input.imageId);
    // the draft became this decision, and the reader's lease on the case ends with it
    await tx.reviewDraft.deleteMany({ where: { userId: actor.id, imageId: input.imageId } });
    await releaseLease(tx, actor.id, input.imageId);
    return { readId: read.id };
  });
}

/** What the campaign's task asks of a read: CLASSIFY takes no ROIs; ROI_ONLY needs a label on every ROI. */
function checkTask(task: CampaignCase["task"], input: z.infer<typeof decisionSchema>): void {
  if (task === "CLASSIFY" && input.rois.length > 0)
    throw new DomainError(
      "BAD_REQUEST",
      "This campaign asks for a label only: remove the regions and submit again.",
    );
  if (task === "ROI_ONLY" && input.rois.some((r) => r.classId === null))
    throw new DomainError(
      "BAD_REQUEST",
      "This campaign needs a label on every region: label each one and submit again.",
    );
}

/** The read a submission id already stored, if it is this reader's on this image; another's is refused. */
async function storedSubmission(
  tx: Prisma.TransactionClient,
  actor: Actor,
  input: z.infer<typeof decisionSchema>,
): Promise<{ readId: string } | null> {
  const read = await tx.read.findUnique({
    where: { submissionId: input.submissionId },
    select: { id: true, readerId: true, imageId: true },
  });
  if (!read) return null;
  if (read.readerId !== actor.id || read.imageId !== input.imageId)
    throw new DomainError("BAD_REQUEST", submissionIdTaken);
  return { readId: read.id };
}

async function checkReferences(tx: Prisma.TransactionClient, input: z.infer<typeof decisionSchema>) {
  const classIds = [input.classId, ...input.rois.flatMap((r) => (r.classId ? [r.classId] : []))];
  const known = await tx.labelClass.count({
    where: { labelSetId: input.labelSetId, id: { in: classIds }, retired: false },
  });
  if (known !== new Set(classIds).size)
    throw new DomainError(
      "BAD_REQUEST",
      "A class does not belong to this case's label set, or has been retired.",
    );
  if (input.predictionId) {
    const p = await tx.prediction.findFirst({ where: { id: input.predictionId, imageId: input.imageId } });
    if (!p) throw new DomainError("BAD_REQUEST", "The prediction shown does not belong to this image.");
  }
  const image = await tx.image.findUnique({ where: { id: input.imageId }, select: { id: true } });
  if (!image) throw new DomainError("NOT_FOUND", "This case does not exist.");
}

function summary(r: {
  id: string;
  classId: string;
  notDiagnostic: boolean;
  secondOpinion: boolean;
  notes: string | null;
}): Prisma.InputJsonValue {
  return {
    readId: r.id,
    classId: r.classId,
    notDiagnostic: r.notDiagnostic,
    secondOpinion: r.secondOpinion,
    notes: r.notes,
  };
}
