// Cases for the audit tests (vitest and Playwright): review-fixture images with labels from every source and a
// second model version predicting the same images, so the confusion matrix, its cells, the comparison and the
// exports have something on every path. Images n % 6 == 0 belong to a TRAIN patient, the rest to the locked TEST
// split; every image has an imported label, n % 5 == 0 also a reader's read, n % 7 == 0 a consensus, and the
// first image a brush stroke and a polygon.
import { type Db } from "@cxr/db";
import { type ObjectStorage } from "@cxr/storage";
import { createReviewFixture, type ReviewFixture } from "./review-fixtures";

const keys = ["normal", "pneumonia", "covid-19", "lung-opacity"] as const;

export interface AuditFixture extends ReviewFixture {
  /** the version compared with the fixture's own */
  baselineId: string;
}

/** The imported label of image n: predicted COVID-19 on pneumonia for the first few, else mostly right. */
export function importedKey(n: number): string {
  const predicted = keys[n % 4]!;
  if (predicted === "covid-19") return n < 20 ? "pneumonia" : "covid-19";
  if (predicted === "pneumonia" && n % 3 === 0) return "covid-19";
  return n % 5 === 4 ? "normal" : predicted;
}

export async function createAuditFixture(
  db: Db,
  storage: ObjectStorage,
  opts: { tag: string; count?: number; readerId: string },
): Promise<AuditFixture> {
  const fx = await createReviewFixture(db, storage, { count: opts.count ?? 24, size: 64, tag: opts.tag });
  const images = await db.image.findMany({
    where: { id: { in: fx.imageIds } },
    select: { id: true, sourceRef: true, studyId: true, study: { select: { patientId: true } } },
  });
  const nOf = (ref: string | null) => Number(ref?.split("/").pop()?.replace(".png", ""));
  const ordered = images.sort((a, b) => nOf(a.sourceRef) - nOf(b.sourceRef));
  await db.patient.update({ where: { id: ordered[0]!.study.patientId }, data: { split: "TEST" } });
  const train = await db.patient.create({
    data: { source: "SYNTHETIC", externalId: `audit-train-${opts.tag}`, split: "TRAIN" },
  });
  const trainStudy = await db.study.create({ data: { patientId: train.id } });
  const baseline = await db.modelVersion.create({
    data: {
      labelSetId: fx.labelSetId,
      version: (await db.modelVersion.count({ where: { labelSetId: fx.labelSetId } })) + 1000,
      name: `baseline-${opts.tag}`,
      architecture: "COMPACT_CNN",
      inputSize: 224,
      targetLayer: "conv4",
      classKeys: [...keys],
      storageUri: `memory://baseline-${opts.tag}`,
      checksum: opts.tag,
      status: "RETIRED",
    },
  });
  for (const [n, image] of ordered.entries()) {
    if (n % 6 === 0) await db.image.update({ where: { id: image.id }, data: { studyId: trainStudy.id } });
    const truth = importedKey(n);
    await db.read.create({
      data: { imageId: image.id, labelSetId: fx.labelSetId, classId: fx.classIds[truth]!, source: "IMPORT" },
    });
    if (n % 5 === 0)
      await db.read.create({
        data: {
          imageId: image.id,
          labelSetId: fx.labelSetId,
          classId: fx.classIds[keys[(n + 1) % 4]!]!,
          source: "READER",
          readerId: opts.readerId,
          notes: `audit fixture read ${n}`,
        },
      });
    if (n % 7 === 0)
      await db.consensus.create({
        data: {
          imageId: image.id,
          labelSetId: fx.labelSetId,
          classId: fx.classIds["lung-opacity"]!,
          method: "ADJUDICATED",
          decidedById: opts.readerId,
          rationale: "fixture adjudication",
        },
      });
    // the baseline: right where n is even, else one class off
    const k = n % 2 === 0 ? keys.indexOf(truth as (typeof keys)[number]) : (n + 1) % 4;
    const probabilities = keys.map((_, i) => (i === k ? 0.7 : 0.1));
    await db.prediction.create({
      data: {
        imageId: image.id,
        modelVersionId: baseline.id,
        probabilities,
        predictedClassId: fx.classIds[keys[k]!]!,
        confidence: 0.7,
      },
    });
  }
  const first = ordered[0]!.id;
  await db.annotation.createMany({
    data: [
      {
        imageId: first,
        classId: fx.classIds["pneumonia"]!,
        shape: "POLYGON",
        points: [
          [0.2, 0.2],
          [0.4, 0.25],
          [0.3, 0.5],
        ],
        authorId: opts.readerId,
        note: "fixture polygon",
      },
      {
        imageId: first,
        classId: fx.classIds["covid-19"]!,
        shape: "BRUSH",
        points: [
          [0.5, 0.5],
          [0.7, 0.6],
        ],
        strokeWidth: 0.05,
        authorId: opts.readerId,
      },
    ],
  });
  return { ...fx, imageIds: ordered.map((i) => i.id), baselineId: baseline.id };
}
