// The reader's queue: unreviewed images with a prediction of the chosen model, most uncertain first.
import { type Db, type Prisma } from "@cxr/db";
import { z } from "zod";
import { defaultModelVersionId } from "./model-choice";

const key = z.string().min(1).max(64);

export const queueFilterSchema = z.object({
  modelVersionId: z.string().min(1).max(64).optional(),
  predictedClassKey: key.optional(),
  trueClassKey: key.optional(),
  modality: z.enum(["CR", "DX", "CT"]).optional(),
  viewPosition: z.enum(["PA", "AP", "APS", "L", "AXIAL", "CORONAL"]).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  /** the costly confusion: imported label pneumonia, predicted COVID-19 */
  pneumoniaAsCovid: z.boolean().optional(),
  limit: z.number().int().min(1).max(100).default(20),
});
export type QueueFilter = z.input<typeof queueFilterSchema>;

export interface QueueEntry {
  imageId: string;
  predictionId: string;
  predictedClassKey: string;
  predictedClassName: string;
  confidence: number;
  entropy: number | null;
  modelVersionId: string;
  modelLabel: string;
  modality: string;
  viewPosition: string | null;
}

export async function listQueue(
  db: Db,
  filter: QueueFilter,
): Promise<{ modelVersionId: string | null; entries: QueueEntry[] }> {
  const f = queueFilterSchema.parse(filter);
  const modelVersionId = f.modelVersionId ?? (await defaultModelVersionId(db));
  if (!modelVersionId) return { modelVersionId: null, entries: [] };

  const image: Prisma.ImageWhereInput = {
    // "unreviewed": no reader has decided on it yet
    reads: { none: { source: "READER" } },
    ...(f.modality ? { modality: f.modality } : {}),
    ...(f.viewPosition ? { viewPosition: f.viewPosition } : {}),
    ...(f.from || f.to
      ? { createdAt: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lte: f.to } : {}) } }
      : {}),
  };
  const truth = f.pneumoniaAsCovid ? "pneumonia" : f.trueClassKey;
  const predicted = f.pneumoniaAsCovid ? "covid-19" : f.predictedClassKey;
  const where: Prisma.PredictionWhereInput = {
    modelVersionId,
    image: truth
      ? { AND: [image, { reads: { some: { source: "IMPORT", labelClass: { key: truth } } } }] }
      : image,
    ...(predicted ? { predictedClass: { key: predicted } } : {}),
  };
  const rows = await db.prediction.findMany({
    where,
    orderBy: [{ entropy: { sort: "desc", nulls: "last" } }, { confidence: "asc" }, { id: "asc" }],
    take: f.limit,
    select: {
      id: true,
      imageId: true,
      confidence: true,
      entropy: true,
      predictedClass: { select: { key: true, name: true } },
      modelVersion: { select: { id: true, name: true, version: true } },
      image: { select: { modality: true, viewPosition: true } },
    },
  });
  return {
    modelVersionId,
    entries: rows.map((r) => ({
      imageId: r.imageId,
      predictionId: r.id,
      predictedClassKey: r.predictedClass.key,
      predictedClassName: r.predictedClass.name,
      confidence: r.confidence,
      entropy: r.entropy,
      modelVersionId: r.modelVersion.id,
      modelLabel: `${r.modelVersion.name} v${r.modelVersion.version}`,
      modality: r.image.modality,
      viewPosition: r.image.viewPosition,
    })),
  };
}

/** The model versions a reader can filter by, newest first. */
export async function listModelVersions(db: Db) {
  const rows = await db.modelVersion.findMany({
    orderBy: { createdAt: "desc" },
    take: 50,
    select: { id: true, name: true, version: true, status: true },
  });
  return rows.map((r) => ({ id: r.id, label: `${r.name} v${r.version}`, status: r.status }));
}
