// Labels as CSV or JSON, one row per image of the audit page's selection (a version, a scope, optionally one
// confusion cell): image, patient, study, the label and where it came from, the readers of its current reads,
// the consensus, and the version's prediction. Read by keyset (image id) two thousand rows at a time and
// yielded as text, so memory stays flat whatever the size (bench/exports.bench.ts measures it).
import { Prisma, type Db } from "@cxr/db";
import { z } from "zod";
import {
  auditFilterSchema,
  casesSql,
  classByKey,
  labelClasses,
  resolveModel,
  type ResolvedModel,
} from "../audit/scope";
import { csvLine } from "./stream";

const classKey = z.string().min(1).max(64);

/** The audit page's filters: a version (default champion), a scope, optionally one confusion cell. */
export const exportFilterSchema = auditFilterSchema.extend({
  truthKey: classKey.optional(),
  predictedKey: classKey.optional(),
});
export type ExportFilter = z.input<typeof exportFilterSchema>;

export interface LabelRow {
  imageId: string;
  patient: string;
  studyId: string;
  studyInstanceUid: string | null;
  label: string | null;
  source: string | null;
  readers: string | null;
  consensus: string | null;
  predicted: string;
  confidence: number;
  modelVersion: string;
}

const BATCH = 2000;

/** The scope's cases narrowed by the filter's cell, as conditions on casesSql's prediction (p) and truth (t). */
export async function filterWhere(db: Db, model: ResolvedModel, f: z.infer<typeof exportFilterSchema>) {
  const where: Prisma.Sql[] = [];
  if (!f.truthKey && !f.predictedKey) return where;
  const classes = await labelClasses(db, model.labelSetId);
  if (f.truthKey) where.push(Prisma.sql`t."classId" = ${classByKey(classes, f.truthKey).id}`);
  if (f.predictedKey)
    where.push(Prisma.sql`p."predictedClassId" = ${classByKey(classes, f.predictedKey).id}`);
  return where;
}

/** Refuses a filter whose version or classes do not exist (DomainError), before a download starts. */
export async function checkExportFilter(db: Db, raw: ExportFilter): Promise<void> {
  const f = exportFilterSchema.parse(raw);
  await filterWhere(db, await resolveModel(db, f.modelVersionId), f);
}

/** The selection's image ids (and the version), a batch at a time, in id order. */
export async function* selectedBatches(
  db: Db,
  raw: ExportFilter,
  viewerId: string | null,
  select: (model: ResolvedModel, cases: Prisma.Sql) => Prisma.Sql,
): AsyncGenerator<{ model: ResolvedModel; rows: Record<string, unknown>[] }> {
  const f = exportFilterSchema.parse(raw);
  const model = await resolveModel(db, f.modelVersionId);
  const cell = await filterWhere(db, model, f);
  let after = "";
  for (;;) {
    const cases = casesSql(model, f.scope, {
      viewerId,
      extraWhere: [...cell, Prisma.sql`p."imageId" > ${after}`],
    });
    const rows = await db.$queryRaw<Record<string, unknown>[]>(
      select(model, Prisma.sql`(${cases} ORDER BY p."imageId" LIMIT ${BATCH})`),
    );
    if (rows.length === 0) return;
    yield { model, rows };
    after = String(rows[rows.length - 1]!.imageId);
    if (rows.length < BATCH) return;
  }
}

function labelSelect(model: ResolvedModel, cases: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    SELECT k."imageId", pt."externalId" AS "patient", s."id" AS "studyId", s."studyInstanceUid",
           tc."key" AS "label", k."truthSource" AS "source",
           (SELECT string_agg(u."email", ';' ORDER BY u."email") FROM "Read" r JOIN "User" u ON u."id" = r."readerId"
            WHERE r."imageId" = k."imageId" AND r."labelSetId" = ${model.labelSetId} AND r."source" = 'READER'
              AND NOT EXISTS (SELECT 1 FROM "Read" n WHERE n."supersedesId" = r."id")) AS "readers",
           (SELECT cc."key" FROM "Consensus" c JOIN "LabelClass" cc ON cc."id" = c."classId"
            WHERE c."imageId" = k."imageId" AND c."labelSetId" = ${model.labelSetId}) AS "consensus",
           pc."key" AS "predicted", k."confidence"
    FROM ${cases} k
    JOIN "Image" i ON i."id" = k."imageId"
    JOIN "Study" s ON s."id" = i."studyId"
    JOIN "Patient" pt ON pt."id" = s."patientId"
    JOIN "LabelClass" pc ON pc."id" = k."predId"
    LEFT JOIN "LabelClass" tc ON tc."id" = k."truthId"
    ORDER BY k."imageId"`;
}

export async function* labelRows(
  db: Db,
  raw: ExportFilter,
  viewerId: string | null,
): AsyncGenerator<LabelRow[]> {
  for await (const { model, rows } of selectedBatches(db, raw, viewerId, labelSelect)) {
    const modelVersion = `${model.name} v${model.version}`;
    yield rows.map((r) => ({ ...(r as Omit<LabelRow, "modelVersion">), modelVersion }));
  }
}

export const labelColumns = [
  "imageId",
  "patient",
  "studyId",
  "studyInstanceUid",
  "label",
  "source",
  "readers",
  "consensus",
  "predicted",
  "confidence",
  "modelVersion",
] as const satisfies readonly (keyof LabelRow)[];

export async function* labelsCsv(db: Db, raw: ExportFilter, viewerId: string | null): AsyncGenerator<string> {
  yield csvLine(labelColumns);
  for await (const rows of labelRows(db, raw, viewerId))
    yield rows.map((r) => csvLine(labelColumns.map((c) => r[c]))).join("");
}

/** A JSON array, one object per line. */
export async function* labelsJson(
  db: Db,
  raw: ExportFilter,
  viewerId: string | null,
): AsyncGenerator<string> {
  yield "[";
  let first = true;
  for await (const rows of labelRows(db, raw, viewerId)) {
    yield rows.map((r) => `${first ? ((first = false), "\n") : ",\n"}${JSON.stringify(r)}`).join("");
  }
  yield "\n]\n";
}
