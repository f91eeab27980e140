// Submitting a reader's decision: label, flags, comment and ROIs, as a new read that supersedes the one the
// reader saw. A different read in force means someone else decided meanwhile: CONFLICT, never an overwrite.
import { recordAudit, type Db, type Prisma, type Role } from "@cxr/db";
import { z } from "zod";
import { currentRead } from "./case";
import { ReviewError } from "./errors";

const id = z.string().min(1).max(64);
/** polygons and freehand outlines are point lists; rectangles and ellipses are two corners */
const outlined = (shape: string) => shape === "POLYGON" || shape === "FREEHAND";
const unit = z.number().min(0).max(1);

export const roiSchema = z
  .object({
    shape: z.enum(["RECTANGLE", "ELLIPSE", "POLYGON", "FREEHAND"]),
    classId: id.nullable(),
    /** image coordinates normalised to [0, 1]; a rectangle or ellipse is its two bounding corners */
    points: z
      .array(z.tuple([unit, unit]))
      .min(2)
      .max(2000),
  })
  .refine((r) => !outlined(r.shape) || r.points.length >= 3, { message: "An outline needs three points." })
  .refine((r) => outlined(r.shape) || r.points.length === 2, { message: "Give the two corners." });
export type RoiInput = z.infer<typeof roiSchema>;

export const decisionSchema = z.object({
  imageId: id,
  labelSetId: id,
  /** the read in force when the reader opened the case (null: none) */
  baseReadId: id.nullable(),
  classId: id,
  predictionId: id.nullable(),
  notDiagnostic: z.boolean().default(false),
  secondOpinion: z.boolean().default(false),
  comment: z.string().max(4000).default(""),
  durationMs: z
    .number()
    .int()
    .min(0)
    .max(24 * 3600_000),
  rois: z.array(roiSchema).max(200).default([]),
});
export type DecisionInput = z.input<typeof decisionSchema>;

export interface Actor {
  id: string;
  role: Role;
}

export async function submitDecision(db: Db, actor: Actor, raw: DecisionInput): Promise<{ readId: string }> {
  const input = decisionSchema.parse(raw);
  return db.$transaction(async (tx) => {
    // one decision at a time per case, so the check below and the insert cannot interleave
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`review:${input.imageId}`}))`;
    const head = await currentRead(tx, input.imageId, input.labelSetId);
    if ((head?.id ?? null) !== input.baseReadId) {
      const who = head?.readerName ?? "another reader";
      throw new ReviewError(
        "CONFLICT",
        head
          ? `${who} submitted a decision on this case while you were reading it. Your draft is kept: review their decision, then submit again to replace it.`
          : "The decision you were changing has been withdrawn. Your draft is kept: reload the case and submit again.",
      );
    }
    await checkReferences(tx, input);

    const read = await tx.read.create({
      data: {
        imageId: input.imageId,
        labelSetId: input.labelSetId,
        classId: input.classId,
        source: "READER",
        readerId: actor.id,
        predictionId: input.predictionId,
        notDiagnostic: input.notDiagnostic,
        secondOpinion: input.secondOpinion,
        notes: input.comment.trim() || null,
        durationMs: input.durationMs,
        supersedesId: head?.id ?? null,
      },
    });
    const audit = { actorId: actor.id, actorRole: actor.role };
    await recordAudit(tx, {
      ...audit,
      action: head ? "read.corrected" : "read.created",
      entityType: "Read",
      entityId: read.id,
      before: head ? summary(head) : undefined,
      after: summary({ ...read, notes: read.notes }),
    });

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
          before: { shape: a.shape, classId: a.classId, points: a.points as Prisma.InputJsonValue },
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
        },
      });
      await recordAudit(tx, {
        ...audit,
        action: "annotation.created",
        entityType: "Annotation",
        entityId: a.id,
        after: { shape: roi.shape, classId: roi.classId, points: roi.points, readId: read.id },
      });
    }
    return { readId: read.id };
  });
}

async function checkReferences(tx: Prisma.TransactionClient, input: z.infer<typeof decisionSchema>) {
  const classIds = [input.classId, ...input.rois.flatMap((r) => (r.classId ? [r.classId] : []))];
  const known = await tx.labelClass.count({ where: { labelSetId: input.labelSetId, id: { in: classIds } } });
  if (known !== new Set(classIds).size)
    throw new ReviewError("BAD_REQUEST", "A class does not belong to this case's label set.");
  if (input.predictionId) {
    const p = await tx.prediction.findFirst({ where: { id: input.predictionId, imageId: input.imageId } });
    if (!p) throw new ReviewError("BAD_REQUEST", "The prediction shown does not belong to this image.");
  }
  const image = await tx.image.findUnique({ where: { id: input.imageId }, select: { id: true } });
  if (!image) throw new ReviewError("NOT_FOUND", "This case does not exist.");
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
