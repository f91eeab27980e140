// One image's history, oldest first: every read (a correction says which read it replaced), consensus,
// prediction (with its model version) and ROI change, with who, when and why (the reader's comment, the
// adjudicator's rationale). Read straight from the tables the decisions wrote. A reader blinded to the image
// (visibility.ts) gets no predictions and no imported labels: the timeline must not tell the model's answer.
import { type Db } from "@cxr/db";
import { DomainError, idSchema } from "@cxr/domain";
import { z } from "zod";
import { modelVersionLabel } from "../review/model-choice";
import { maySeeModelOutput } from "../review/visibility";

export const timelineInputSchema = z.object({ imageId: idSchema });

export type TimelineKind = "read" | "correction" | "import" | "consensus" | "prediction" | "roi";

export interface TimelineEntry {
  at: Date;
  kind: TimelineKind;
  /** who: a person's name, a model version, or the data set */
  who: string;
  /** what: the label, the prediction, the ROI change */
  what: string;
  /** why: the comment, rationale or method */
  why: string | null;
}

/** a related row's name: a class, a person, a campaign */
const named = { select: { name: true } } as const;

export async function imageTimeline(db: Db, imageId: string, viewerId: string): Promise<TimelineEntry[]> {
  const image = await db.image.findUnique({ where: { id: imageId }, select: { id: true } });
  if (!image) throw new DomainError("NOT_FOUND", "This image does not exist.");
  const seesModel = await maySeeModelOutput(db, viewerId, imageId);
  const [reads, consensus, predictions, rois] = await Promise.all([
    db.read.findMany({
      where: { imageId, ...(seesModel ? {} : { source: "READER" as const }) },
      select: {
        createdAt: true,
        source: true,
        supersedesId: true,
        notes: true,
        notDiagnostic: true,
        secondOpinion: true,
        labelClass: named,
        reader: named,
        campaign: named,
      },
    }),
    db.consensus.findMany({
      where: { imageId },
      select: {
        updatedAt: true,
        method: true,
        agreement: true,
        readCount: true,
        rationale: true,
        labelClass: named,
        decidedBy: named,
      },
    }),
    seesModel
      ? db.prediction.findMany({
          where: { imageId },
          select: {
            createdAt: true,
            confidence: true,
            predictedClass: named,
            modelVersion: { select: { name: true, version: true } },
          },
        })
      : [],
    db.annotation.findMany({
      where: { imageId, ...(seesModel ? {} : { authorId: { not: null } }) },
      select: {
        createdAt: true,
        deletedAt: true,
        shape: true,
        note: true,
        author: named,
        labelClass: named,
      },
    }),
  ]);
  const entries: TimelineEntry[] = [];
  for (const r of reads) {
    const flags = [
      r.notDiagnostic ? "not diagnostic" : null,
      r.secondOpinion ? "second opinion asked" : null,
    ];
    entries.push({
      at: r.createdAt,
      kind: r.source === "IMPORT" ? "import" : r.supersedesId ? "correction" : "read",
      who: r.source === "IMPORT" ? "data set" : (r.reader?.name ?? "unknown reader"),
      what: [r.labelClass.name, ...flags.filter(Boolean), r.campaign ? `campaign ${r.campaign.name}` : null]
        .filter(Boolean)
        .join(" · "),
      why: r.notes || null,
    });
  }
  for (const c of consensus)
    entries.push({
      at: c.updatedAt,
      kind: "consensus",
      who: c.decidedBy?.name ?? "consensus rule",
      what: `${c.labelClass.name} (${c.method.toLowerCase().replace("_", " ")}, ${c.readCount} reads${
        c.agreement === null ? "" : `, ${Math.round(c.agreement * 100)}% agree`
      })`,
      why: c.rationale,
    });
  for (const p of predictions)
    entries.push({
      at: p.createdAt,
      kind: "prediction",
      who: modelVersionLabel(p.modelVersion),
      what: `${p.predictedClass.name} ${Math.round(p.confidence * 100)}%`,
      why: null,
    });
  for (const a of rois) {
    const what = `${a.shape.toLowerCase()}${a.labelClass ? ` (${a.labelClass.name})` : ""}`;
    const who = a.author?.name ?? "data set";
    entries.push({ at: a.createdAt, kind: "roi", who, what: `drew ${what}`, why: a.note });
    if (a.deletedAt) entries.push({ at: a.deletedAt, kind: "roi", who, what: `removed ${what}`, why: null });
  }
  return entries.sort((a, b) => a.at.getTime() - b.at.getTime());
}
