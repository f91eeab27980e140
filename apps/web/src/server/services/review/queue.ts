// The reader's queue. A reader with open assignments (PENDING or IN_PROGRESS) in active campaigns reads
// those, in the campaign's order: the assignment's priority (higher first), which the campaign's strategy
// set when the image was assigned (see strategyPriority in @cxr/domain: FIFO leaves every priority
// at 0, RANDOM draws one, ENTROPY / MARGIN / LEAST_CONFIDENCE / BALD / COMMITTEE_DISAGREEMENT /
// CRITICAL_CONFUSION score the prediction), then the time it was assigned (earlier first; under FIFO that
// is the whole order). Without open assignments, or when the reader picks "unassigned", the queue is every
// unreviewed image with a prediction of the chosen model, most uncertain first. The filters apply to both.
// Blinding (visibility.ts): an entry the reader is blinded to carries no prediction, and a filter on what the
// model predicted or on the imported label never selects such an image (that would tell the answer).
import { type Db, type Prisma } from "@cxr/db";
import {
  idSchema,
  modalitySchema,
  viewPositionSchema,
  type Modality,
  type QueueStrategy,
  type ViewPosition,
} from "@cxr/domain";
import { z } from "zod";
import { campaignModelFor, OPEN_ASSIGNMENT } from "./campaign";
import { defaultModelVersionId, modelVersionLabel } from "./model-choice";
import { blindingAssignments, modelOutputVisibleWhere } from "./visibility";

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
  limit: z.number().int().min(1).max(100).default(20),
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
  scope: "campaigns" | "unreviewed";
  campaignId: string | null;
  /** the reader's active campaigns with open assignments, for the queue selector */
  campaigns: QueueCampaign[];
  /** the model of the unreviewed queue (campaigns may name their own) */
  modelVersionId: string | null;
  entries: QueueEntry[];
}

const imageSelect = {
  modality: true,
  viewPosition: true,
  acquiredAt: true,
  createdAt: true,
  study: { select: { studyDate: true } },
} satisfies Prisma.ImageSelect;
type ImageRow = Prisma.ImageGetPayload<{ select: typeof imageSelect }>;

function studyDate(image: ImageRow): Pick<QueueEntry, "studyDate" | "studyDateSource"> {
  if (image.acquiredAt) return { studyDate: image.acquiredAt, studyDateSource: "acquisition" };
  if (image.study.studyDate) return { studyDate: image.study.studyDate, studyDateSource: "study" };
  return { studyDate: image.createdAt, studyDateSource: "import" };
}

/**
 * The date filter on the study date: the image's acquisition date when known, else its study's date, and
 * only when neither is known the date it was imported.
 */
export function studyDateWhere(from?: Date, to?: Date): Prisma.ImageWhereInput {
  if (!from && !to) return {};
  const range = { ...(from ? { gte: from } : {}), ...(to ? { lte: to } : {}) };
  return {
    OR: [
      { acquiredAt: range },
      { acquiredAt: null, study: { studyDate: range } },
      { acquiredAt: null, study: { studyDate: null }, createdAt: range },
    ],
  };
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

export async function listQueue(
  db: Db,
  filter: QueueFilter,
  readerId: string | null = null,
): Promise<QueueResult> {
  const f = queueFilterSchema.parse(filter);
  const campaigns = readerId ? await readerCampaigns(db, readerId) : [];
  const scope = f.scope === "auto" ? (campaigns.length > 0 ? "campaigns" : "unreviewed") : f.scope;
  const modelVersionId = f.modelVersionId ?? (await defaultModelVersionId(db));
  const base = {
    scope,
    campaignId: scope === "campaigns" ? (f.campaignId ?? null) : null,
    campaigns: campaigns.map(({ modelVersionId: _m, labelSetId: _l, ...c }) => c),
    modelVersionId,
  };
  if (scope === "campaigns" && readerId) {
    return { ...base, entries: await campaignEntries(db, f, readerId, campaigns) };
  }
  return { ...base, entries: await unreviewedEntries(db, f, modelVersionId, readerId) };
}

async function readerCampaigns(db: Db, readerId: string) {
  const mine = { userId: readerId, status: { in: OPEN_ASSIGNMENT } };
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
  const models = new Map<string, string | null>();
  const perCampaign: Prisma.AssignmentWhereInput[] = [];
  for (const c of campaigns) {
    if (f.campaignId && c.id !== f.campaignId) continue;
    const model = await campaignModelFor(db, c, f.modelVersionId);
    models.set(c.id, model);
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

const predictionSelect = {
  id: true,
  imageId: true,
  confidence: true,
  entropy: true,
  predictedClass: { select: { key: true, name: true } },
  modelVersion: { select: { id: true, name: true, version: true } },
} satisfies Prisma.PredictionSelect;
type PredictionRow = Prisma.PredictionGetPayload<{ select: typeof predictionSelect }>;

function predictionFields(p: PredictionRow | undefined) {
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

async function unreviewedEntries(
  db: Db,
  f: Filter,
  modelVersionId: string | null,
  readerId: string | null,
): Promise<QueueEntry[]> {
  if (!modelVersionId) return [];
  const { truth, predicted } = classFilters(f);
  const image: Prisma.ImageWhereInput = {
    // "unreviewed": no reader has decided on it yet
    reads: { none: { source: "READER" } },
    ...imageWhere(f, truth, predicted, readerId),
    // every entry here shows its prediction: the reader's blinded cases are not listed at all
    ...(readerId ? modelOutputVisibleWhere(readerId) : {}),
  };
  const rows = await db.prediction.findMany({
    where: {
      modelVersionId,
      image,
      ...(predicted ? { predictedClass: { key: predicted } } : {}),
    },
    orderBy: [{ entropy: { sort: "desc", nulls: "last" } }, { confidence: "asc" }, { id: "asc" }],
    take: f.limit,
    select: { ...predictionSelect, image: { select: imageSelect } },
  });
  return rows.map((r) => ({
    imageId: r.imageId,
    assignmentId: null,
    campaignId: null,
    campaignName: null,
    blinded: false,
    ...predictionFields(r),
    modality: r.image.modality,
    viewPosition: r.image.viewPosition,
    ...studyDate(r.image),
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
