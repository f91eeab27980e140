// Bulk data for the queue benchmark and the review load test, written in SQL (generate_series) so 100k images
// and 1M predictions take a minute, not an hour through the client. Owner connection only: it writes every
// table. Ids are readable ("bench-img-42") so a check afterwards can name what it finds.
import { type Db } from "@cxr/db";
import { seed } from "@cxr/db/seed";

export interface QueueSeedOptions {
  images: number;
  /** model versions, each predicting every image; the last is the champion */
  models: number;
  readers: number;
  /** share of images with an imported (data set) label, for the true-label filters */
  importedShare: number;
  /** the champion's most uncertain images already decided by a reader (reviewing in progress) */
  reviewed: number;
  /** the readers' password hash (the load test signs in); null: no password */
  passwordHash?: string | null;
}

export interface QueueSeed {
  labelSetId: string;
  championId: string;
  classIds: Record<string, string>;
  readers: { id: string; email: string; name: string }[];
}

export async function seedQueueData(db: Db, o: QueueSeedOptions): Promise<QueueSeed> {
  await seed(db, []); // the label sets
  const labelSet = await db.labelSet.findUniqueOrThrow({
    where: { name: "cxr-4class" },
    include: { classes: { orderBy: { index: "asc" } } },
  });
  const classIds = labelSet.classes.map((c) => c.id);
  const keys = labelSet.classes.map((c) => c.key);
  const ls = labelSet.id;
  const patients = Math.max(1, Math.floor(o.images / 10));
  const studies = Math.max(1, Math.floor(o.images / 2));
  await db.$executeRaw`INSERT INTO "User" ("id", "email", "name", "role", "passwordHash", "updatedAt")
    SELECT 'bench-reader-' || g, 'reader' || g || '@bench.local', 'Reader ' || g, 'RADIOLOGIST', ${o.passwordHash ?? null}, now()
    FROM generate_series(1, ${o.readers}::int) g`;
  await db.$executeRaw`INSERT INTO "ModelVersion" ("id", "labelSetId", "version", "name", "architecture", "inputSize",
      "targetLayer", "classKeys", "status", "storageUri", "checksum", "createdAt")
    SELECT 'bench-model-' || g, ${ls}, g, 'bench', 'COMPACT_CNN', 224, 'conv4', ${keys}::text[],
      (CASE WHEN g = ${o.models}::int THEN 'CHAMPION' ELSE 'RETIRED' END)::"ModelStatus", 'memory://bench', 'bench',
      now() - make_interval(days => ${o.models}::int - g)
    FROM generate_series(1, ${o.models}::int) g`;
  await db.$executeRaw`INSERT INTO "Patient" ("id", "externalId", "source")
    SELECT 'bench-pat-' || g, 'bench-' || g, 'SYNTHETIC' FROM generate_series(0, ${patients - 1}::int) g`;
  // 70% of studies have a date, 40% of images an acquisition date: the date filter's three sources all occur
  await db.$executeRaw`INSERT INTO "Study" ("id", "patientId", "studyDate")
    SELECT 'bench-study-' || g, 'bench-pat-' || (g % ${patients}::int),
      CASE WHEN g % 10 < 7 THEN timestamp '2020-01-01' + make_interval(days => (g::bigint * 7919 % 1500)::int) END
    FROM generate_series(0, ${studies - 1}::int) g`;
  await db.$executeRaw`INSERT INTO "Image" ("id", "studyId", "source", "modality", "viewPosition", "status",
      "originalSha256", "mimeType", "byteSize", "acquiredAt", "createdAt", "updatedAt")
    SELECT 'bench-img-' || g, 'bench-study-' || (g % ${studies}::int), 'SYNTHETIC',
      (CASE WHEN g % 10 < 6 THEN 'DX' WHEN g % 10 < 9 THEN 'CR' ELSE 'CT' END)::"Modality",
      (CASE g % 5 WHEN 0 THEN 'AP' WHEN 1 THEN 'L' ELSE 'PA' END)::"ViewPosition", 'READY',
      md5(g::text) || md5('x' || g), 'image/png', 1000,
      CASE WHEN g % 5 < 2 THEN timestamp '2020-01-01' + make_interval(days => (g::bigint * 104729 % 1500)::int) END,
      now() - make_interval(days => g % 365), now()
    FROM generate_series(0, ${o.images - 1}::int) g`;
  // random class probabilities per (model, image); 1% have no entropy (the queue puts them last)
  await db.$executeRaw`INSERT INTO "Prediction" ("id", "imageId", "modelVersionId", "probabilities",
      "predictedClassId", "confidence", "entropy")
    SELECT 'bench-p-' || m || '-' || g, 'bench-img-' || g, 'bench-model-' || m, p,
      (${classIds}::text[])[array_position(p, greatest(p[1], p[2], p[3], p[4]))], greatest(p[1], p[2], p[3], p[4]),
      CASE WHEN g % 100 <> 0 THEN -(p[1] * ln(p[1]) + p[2] * ln(p[2]) + p[3] * ln(p[3]) + p[4] * ln(p[4])) END
    FROM (SELECT m, g, ARRAY[a / s, b / s, c / s, d / s]::float8[] AS p
          FROM (SELECT m, g, 0.01 + random() a, 0.01 + random() b, 0.01 + random() c, 0.01 + random() d
                FROM generate_series(1, ${o.models}::int) m, generate_series(0, ${o.images - 1}::int) g) r,
          LATERAL (SELECT a + b + c + d AS s) t) x`;
  const every = Math.max(1, Math.round(1 / o.importedShare));
  await db.$executeRaw`INSERT INTO "Read" ("id", "imageId", "labelSetId", "classId", "source")
    SELECT 'bench-import-' || g, 'bench-img-' || g, ${ls}, (${classIds}::text[])[1 + (g / ${every}::int) % 4], 'IMPORT'
    FROM generate_series(0, ${o.images - 1}::int) g WHERE g % ${every}::int = 0`;
  const championId = `bench-model-${o.models}`;
  await db.$executeRaw`INSERT INTO "Read" ("id", "imageId", "labelSetId", "classId", "source", "readerId")
    SELECT 'bench-done-' || p."imageId", p."imageId", ${ls}, ${classIds[0]}, 'READER', 'bench-reader-1'
    FROM (SELECT "imageId" FROM "Prediction" WHERE "modelVersionId" = ${championId}
          ORDER BY "entropy" DESC NULLS LAST LIMIT ${o.reviewed}::int) p`;
  await db.$executeRawUnsafe("ANALYZE");
  const readers = await db.user.findMany({
    where: { id: { startsWith: "bench-reader-" } },
    select: { id: true, email: true, name: true },
    orderBy: { createdAt: "asc" },
  });
  return {
    labelSetId: ls,
    championId,
    classIds: Object.fromEntries(labelSet.classes.map((c) => [c.key, c.id])),
    readers,
  };
}
