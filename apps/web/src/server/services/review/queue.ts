// The reader's queue. A reader with open assignments (PENDING or IN_PROGRESS) in active campaigns reads
// those, in the campaign's order: the assignment's priority (higher first), which the campaign's strategy
// set when the image was assigned (see strategyPriority in @cxr/domain: FIFO leaves every priority
// at 0, RANDOM draws one, ENTROPY / MARGIN / LEAST_CONFIDENCE / BALD / COMMITTEE_DISAGREEMENT /
// CRITICAL_CONFUSION score the prediction), then the time it was assigned (earlier first; under FIFO that
// is the whole order). Without open assignments, or when the reader picks "unassigned", the queue is every
// unreviewed image with a prediction of the chosen model, most uncertain first. The filters apply to both.
// Blinding (visibility.ts): an entry the reader is blinded to carries no prediction, and a filter on what the
// model predicted or on the imported label never selects such an image (that would tell the answer).
import { Prisma, type Db } from "@cxr/db";
import { availableNow } from "@cxr/db/reader-study-assignments";
import {
  idSchema,
  modalitySchema,
  viewPositionSchema,
  type Modality,
  type QueueStrategy,
  type ViewPosition,
} from "@cxr/domain";
import { z } from "zod";
import { auditQueueEntries } from "../audit/queue-entries";
import { auditSelectionSchema } from "~/lib/audit/selection";
import { campaignModelFor, OPEN_ASSIGNMENT } from "./campaign";
import { defaultModelVersionId, modelVersionLabel } from "./model-choice";
import { DEFAULT_LEASE_SECONDS, leaseInsert, notLeasedToOthers } from "./leases";
import { blindingAssignments, modelOutputVisibleSql, modelOutputVisibleWhere } from "./visibility";

/** a label class's key (like `covid-19`) */
const key = z.string().min(1).max(64);

export const queueFilterSchema = z.object({
  /**
   * auto: the reader's campaigns when they have open assignments, else every unreviewed image;
   * campaigns: the reader's campaigns (one, with campaignId); unreviewed: every unreviewed image
   */
  scope: z.enum(["auto", "campaigns", "unreviewed"]).default("auto"),
  campaignId: idSchema.optional(),
  modelVersionId: idSchema.optional(),
  predictedClassKey: key.optional(),
  trueClassKey: key.optional(),
  modality: modalitySchema.optional(),
  viewPosition: viewPositionSchema.optional(),
  /** on the study date: the image's acquisition date, else its study's date, else (unknown) its import date */
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  /** the costly confusion: imported label pneumonia, predicted COVID-19 */
  pneumoniaAsCovid: z.boolean().optional(),
  /** an audit's cases (a confusion cell, or a comparison's flips), reviewed or not: see services/audit */
  audit: auditSelectionSchema.optional(),
  limit: z.number().int().min(1).max(100).default(20),
  /** the audit queue's page: where in the selection's order it starts */
  offset: z.number().int().min(0).max(10_000_000).default(0),
});
export type QueueFilter = z.input<typeof queueFilterSchema>;
type Filter = z.infer<typeof queueFilterSchema>;

export interface QueueEntry {
  imageId: string;
  /** set in a campaign queue */
  assignmentId: string | null;
  campaignId: string | null;
  campaignName: string | null;
  /** the reader is blinded to this image: no prediction is sent */
  blinded: boolean;
  predictionId: string | null;
  predictedClassKey: string | null;
  predictedClassName: string | null;
  confidence: number | null;
  entropy: number | null;
  modelVersionId: string | null;
  modelLabel: string | null;
  modality: Modality;
  viewPosition: ViewPosition | null;
  /** the date the date filter uses, and which one it is */
  studyDate: Date;
  studyDateSource: "acquisition" | "study" | "import";
}

export interface QueueCampaign {
  id: string;
  name: string;
  strategy: QueueStrategy;
  blinded: boolean;
  /** the reader's open assignments in it */
  open: number;
}

export interface QueueResult {
  /** which queue this is (auto resolved) */
  scope: "campaigns" | "unreviewed" | "audit";
  campaignId: string | null;
  /** the reader's active campaigns with open assignments, for the queue selector */
  campaigns: QueueCampaign[];
  /** the model of the unreviewed queue (campaigns may name their own) */
  modelVersionId: string | null;
  /** the audit queue's page: its offset in the selection and the selection's size */
  page?: { offset: number; total: number };
  entries: QueueEntry[];
}

export const imageSelect = {
  modality: true,
  viewPosition: true,
  acquiredAt: true,
  createdAt: true,
  study: { select: { studyDate: true } },
} satisfies Prisma.ImageSelect;
type ImageRow = Prisma.ImageGetPayload<{ select: typeof imageSelect }>;

export function studyDate(
  image: Pick<ImageRow, "acquiredAt" | "createdAt" | "study">,
): Pick<QueueEntry, "studyDate" | "studyDateSource"> {
  if (image.acquiredAt) return { studyDate: image.acquiredAt, studyDateSource: "acquisition" };
  if (image.study.studyDate) return { studyDate: image.study.studyDate, studyDateSource: "study" };
  return { studyDate: image.createdAt, studyDateSource: "import" };
}

/**
 * The date filter on the study date: the image's acquisition date when known, else its study's date, and
 * only when neither is known the date it was imported; stored as Image.queueDate (kept by a trigger) so one
 * index answers it.
 */
export function studyDateWhere(from?: Date, to?: Date): Prisma.ImageWhereInput {
  if (!from && !to) return {};
  return { queueDate: { ...(from ? { gte: from } : {}), ...(to ? { lte: to } : {}) } };
}

/** The true-label and predicted-class keys asked for; "pneumonia predicted as COVID-19" sets both. */
function classFilters(f: Filter): { truth: string | undefined; predicted: string | undefined } {
  return f.pneumoniaAsCovid
    ? { truth: "pneumonia", predicted: "covid-19" }
    : { truth: f.trueClassKey, predicted: f.predictedClassKey };
}

/**
 * The filters on the image itself (the same in both queues). A filter on model output (the imported label or
 * the predicted class) keeps only images the reader may see it for.
 */
function imageWhere(
  f: Filter,
  truth: string | undefined,
  predicted: string | undefined,
  readerId: string | null,
): Prisma.ImageWhereInput {
  const and: Prisma.ImageWhereInput[] = [studyDateWhere(f.from, f.to)];
  if (truth) and.push({ reads: { some: { source: "IMPORT", labelClass: { key: truth } } } });
  if ((truth || predicted) && readerId) and.push(modelOutputVisibleWhere(readerId));
  return {
    ...(f.modality ? { modality: f.modality } : {}),
    ...(f.viewPosition ? { viewPosition: f.viewPosition } : {}),
    AND: and,
  };
}

export interface QueueOptions {
  /** how long the unassigned queue's served cases stay leased to the reader */
  leaseSeconds?: number;
}

export async function listQueue(
  db: Db,
  filter: QueueFilter,
  readerId: string | null = null,
  { leaseSeconds = DEFAULT_LEASE_SECONDS }: QueueOptions = {},
): Promise<QueueResult> {
  const f = queueFilterSchema.parse(filter);
  // independent: one round trip's wait for both
  const [campaigns, modelVersionId] = await Promise.all([
    readerId ? readerCampaigns(db, readerId) : [],
    f.modelVersionId ?? defaultModelVersionId(db),
  ]);
  if (f.audit) return auditQueueEntries(db, f.audit, readerId, f.limit, f.offset);
  const scope = f.scope === "auto" ? (campaigns.length > 0 ? "campaigns" : "unreviewed") : f.scope;
  const base = {
    scope,
    campaignId: scope === "campaigns" ? (f.campaignId ?? null) : null,
    campaigns: campaigns.map(({ modelVersionId: _m, labelSetId: _l, ...c }) => c),
    modelVersionId,
  };
  if (scope === "campaigns" && readerId) {
    return { ...base, entries: await campaignEntries(db, f, readerId, campaigns) };
  }
  return { ...base, entries: await unreviewedEntries(db, f, modelVersionId, readerId, leaseSeconds) };
}

async function readerCampaigns(db: Db, readerId: string) {
  // a reader study's second phase is not offered before its first is read and the washout is over
  const mine = { userId: readerId, status: { in: OPEN_ASSIGNMENT }, ...availableNow() };
  const rows = await db.campaign.findMany({
    where: { status: "ACTIVE", assignments: { some: mine } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      name: true,
      strategy: true,
      blinded: true,
      modelVersionId: true,
      labelSetId: true,
      _count: { select: { assignments: { where: mine } } },
    },
  });
  return rows.map(({ _count, ...c }) => ({ ...c, open: _count.assignments }));
}

async function campaignEntries(
  db: Db,
  f: Filter,
  readerId: string,
  campaigns: Awaited<ReturnType<typeof readerCampaigns>>,
): Promise<QueueEntry[]> {
  const { truth, predicted } = classFilters(f);
  const chosen = campaigns.filter((c) => !f.campaignId || c.id === f.campaignId);
  const chosenModels = await Promise.all(chosen.map((c) => campaignModelFor(db, c, f.modelVersionId)));
  const models = new Map(chosen.map((c, i) => [c.id, chosenModels[i] ?? null]));
  const perCampaign: Prisma.AssignmentWhereInput[] = [];
  for (const c of chosen) {
    const model = models.get(c.id);
    if (!predicted) perCampaign.push({ campaignId: c.id });
    // (a blinded campaign's cases are all blinded: imageWhere leaves them out of a filter on the prediction)
    else if (model)
      perCampaign.push({
        campaignId: c.id,
        image: { predictions: { some: { modelVersionId: model, predictedClass: { key: predicted } } } },
      });
  }
  if (perCampaign.length === 0) return [];
  const rows = await db.assignment.findMany({
    where: {
      userId: readerId,
      status: { in: OPEN_ASSIGNMENT },
      ...availableNow(),
      campaign: { status: "ACTIVE" },
      image: imageWhere(f, truth, predicted, readerId),
      OR: perCampaign,
    },
    orderBy: [{ priority: "desc" }, { assignedAt: "asc" }, { id: "asc" }],
    take: f.limit,
    select: {
      id: true,
      imageId: true,
      campaign: { select: { id: true, name: true } },
      image: {
        select: {
          ...imageSelect,
          // one is enough: the reader is blinded to this image
          assignments: { where: blindingAssignments(readerId), select: { id: true }, take: 1 },
        },
      },
    },
  });
  const blinded = (r: (typeof rows)[number]) => r.image.assignments.length > 0;
  const wanted = rows.flatMap((r) => {
    const model = models.get(r.campaign.id);
    return !blinded(r) && model ? [{ imageId: r.imageId, modelVersionId: model }] : [];
  });
  const predictions = wanted.length
    ? await db.prediction.findMany({ where: { OR: wanted }, select: predictionSelect })
    : [];
  return rows.map((r) => {
    const model = models.get(r.campaign.id);
    const p = blinded(r)
      ? undefined
      : predictions.find((x) => x.imageId === r.imageId && x.modelVersion.id === model);
    return {
      imageId: r.imageId,
      assignmentId: r.id,
      campaignId: r.campaign.id,
      campaignName: r.campaign.name,
      blinded: blinded(r),
      ...predictionFields(p),
      modality: r.image.modality,
      viewPosition: r.image.viewPosition,
      ...studyDate(r.image),
    };
  });
}

export const predictionSelect = {
  id: true,
  imageId: true,
  confidence: true,
  entropy: true,
  predictedClass: { select: { key: true, name: true } },
  modelVersion: { select: { id: true, name: true, version: true } },
} satisfies Prisma.PredictionSelect;
type PredictionRow = Prisma.PredictionGetPayload<{ select: typeof predictionSelect }>;

export function predictionFields(p: PredictionRow | undefined) {
  return {
    predictionId: p?.id ?? null,
    predictedClassKey: p?.predictedClass.key ?? null,
    predictedClassName: p?.predictedClass.name ?? null,
    confidence: p?.confidence ?? null,
    entropy: p?.entropy ?? null,
    modelVersionId: p?.modelVersion.id ?? null,
    modelLabel: p ? modelVersionLabel(p.modelVersion) : null,
  };
}

interface UnreviewedRow {
  id: string;
  imageId: string;
  confidence: number;
  entropy: number | null;
  classKey: string;
  className: string;
  modelId: string;
  modelName: string;
  modelNumber: number;
  modality: Modality;
  viewPosition: ViewPosition | null;
  acquiredAt: Date | null;
  studyDate: Date | null;
  createdAt: Date;
}

/**
 * Every unreviewed image with a prediction of the model, most uncertain first: one hand-written query so the
 * plan is an index range scan of (modelVersionId, reviewed, entropy DESC NULLS LAST, confidence, id) that stops
 * at the limit, whatever the prediction count or reviewing progress ("reviewed" and the date filter's
 * "queueDate" are stored columns kept by triggers, see the migration). Images another reader holds a live
 * lease on are skipped. With a reader, the same statement leases what it picks to them: rows another reader's
 * queue is picking at this moment are locked, and skipped (SKIP LOCKED), so 30 readers asking at once get 30
 * different pages instead of racing for one. Exported for the benchmark's EXPLAIN ANALYZE.
 */
export function unreviewedQuery(
  filter: QueueFilter,
  modelVersionId: string,
  readerId: string | null,
  leaseSeconds = DEFAULT_LEASE_SECONDS,
): Prisma.Sql {
  const f = queueFilterSchema.parse(filter);
  const { truth, predicted } = classFilters(f);
  const where: Prisma.Sql[] = [
    Prisma.sql`p."modelVersionId" = ${modelVersionId}`,
    Prisma.sql`NOT p."reviewed"`,
  ];
  if (f.modality) where.push(Prisma.sql`i."modality" = ${f.modality}::"Modality"`);
  if (f.viewPosition) where.push(Prisma.sql`i."viewPosition" = ${f.viewPosition}::"ViewPosition"`);
  if (f.from) where.push(Prisma.sql`i."queueDate" >= ${f.from}`);
  if (f.to) where.push(Prisma.sql`i."queueDate" <= ${f.to}`);
  if (predicted)
    where.push(
      Prisma.sql`p."predictedClassId" IN (SELECT c."id" FROM "LabelClass" c WHERE c."key" = ${predicted})`,
    );
  if (truth)
    where.push(Prisma.sql`EXISTS (SELECT 1 FROM "Read" r JOIN "LabelClass" c ON c."id" = r."classId"
      WHERE r."imageId" = p."imageId" AND r."source" = 'IMPORT' AND c."key" = ${truth})`);
  if (readerId) {
    // every entry here shows its prediction: the reader's blinded cases are not listed at all
    where.push(modelOutputVisibleSql(Prisma.sql`p."imageId"`, readerId));
    where.push(notLeasedToOthers(Prisma.sql`p."imageId"`, readerId));
  }
  const picked = Prisma.sql`
      SELECT p."id", p."imageId", p."confidence", p."entropy", p."predictedClassId", i."modality",
             i."viewPosition", i."acquiredAt", i."createdAt", i."studyId"
      FROM "Prediction" p JOIN "Image" i ON i."id" = p."imageId"
      WHERE ${Prisma.join(where, " AND ")}
      ORDER BY p."entropy" DESC NULLS LAST, p."confidence" ASC, p."id" ASC
      LIMIT ${f.limit}`;
  return Prisma.sql`
    WITH picked AS (${readerId ? Prisma.sql`${picked} FOR UPDATE OF p SKIP LOCKED` : picked})
    ${readerId ? Prisma.sql`, leased AS (${leaseInsert(Prisma.sql`picked`, readerId, leaseSeconds)})` : Prisma.empty}
    SELECT k."id", k."imageId", k."confidence", k."entropy", c."key" AS "classKey", c."name" AS "className",
           m."id" AS "modelId", m."name" AS "modelName", m."version" AS "modelNumber", k."modality"::text AS "modality",
           k."viewPosition"::text AS "viewPosition", k."acquiredAt",
           -- a lookup per picked row, not a join the planner might hash over every study
           (SELECT s."studyDate" FROM "Study" s WHERE s."id" = k."studyId") AS "studyDate", k."createdAt"
    FROM picked k
    ${readerId ? Prisma.sql`JOIN leased USING ("imageId")` : Prisma.empty}
    JOIN "LabelClass" c ON c."id" = k."predictedClassId"
    JOIN "ModelVersion" m ON m."id" = ${modelVersionId}
    ORDER BY k."entropy" DESC NULLS LAST, k."confidence" ASC, k."id" ASC`;
}

async function unreviewedEntries(
  db: Db,
  f: Filter,
  modelVersionId: string | null,
  readerId: string | null,
  leaseSeconds: number,
): Promise<QueueEntry[]> {
  if (!modelVersionId) return [];
  const query = unreviewedQuery(f, modelVersionId, readerId, leaseSeconds);
  let rows = await db.$queryRaw<UnreviewedRow[]>(query);
  // a reader who lost every picked case to another reader's lease in the same instant asks once more
  if (readerId && rows.length === 0) rows = await db.$queryRaw<UnreviewedRow[]>(query);
  return rows.map((r) => ({
    imageId: r.imageId,
    assignmentId: null,
    campaignId: null,
    campaignName: null,
    blinded: false,
    predictionId: r.id,
    predictedClassKey: r.classKey,
    predictedClassName: r.className,
    confidence: r.confidence,
    entropy: r.entropy,
    modelVersionId: r.modelId,
    modelLabel: modelVersionLabel({ name: r.modelName, version: r.modelNumber }),
    modality: r.modality,
    viewPosition: r.viewPosition,
    ...studyDate({ acquiredAt: r.acquiredAt, createdAt: r.createdAt, study: { studyDate: r.studyDate } }),
  }));
}

/** The model versions a reader can filter by, newest first. */
export async function listModelVersions(db: Db) {
  const rows = await db.modelVersion.findMany({
    orderBy: { createdAt: "desc" },
    take: 50,
    select: { id: true, name: true, version: true, status: true },
  });
  return rows.map((r) => ({ id: r.id, label: modelVersionLabel(r), status: r.status }));
}
