// What an audit looks at: one model version's stored predictions over a scope, each with the label it is judged
// against. The same selection feeds the confusion matrix, the threshold analysis, the comparison, the viewer's
// queues and the exports, so the numbers on the page and the rows of a download always agree.
//   test:      the locked TEST split (by patient); truth = the label its evaluation used: the run's label
//              sources in order (consensus, then a reader's current read, then the imported label)
//   reviewed:  images a person decided; truth = the consensus, else the current reader read
//   predicted: everything the version predicted; truth as for test (images without any label have none)
import { Prisma, type Db, type LabelSource } from "@cxr/db";
import { DomainError, idSchema } from "@cxr/domain";
import { z } from "zod";
import { defaultModelVersionId } from "../review/model-choice";
import { modelOutputVisibleSql } from "../review/visibility";

import { auditScopeSchema, type AuditScope } from "~/lib/audit/selection";

export {
  auditScopeSchema,
  auditSelectionSchema,
  type AuditScope,
  type AuditSelection,
} from "~/lib/audit/selection";

export const auditFilterSchema = z.object({
  /** default: the champion */
  modelVersionId: idSchema.optional(),
  scope: auditScopeSchema.default("test"),
});
export type AuditFilter = z.input<typeof auditFilterSchema>;

export interface ResolvedModel {
  id: string;
  name: string;
  version: number;
  status: string;
  labelSetId: string;
  /** the label sources its evaluation used */
  sources: LabelSource[];
}

const ALL_SOURCES: LabelSource[] = ["CONSENSUS", "CORRECTED", "IMPORTED"];

/** The model version asked for (default: the champion) with the label sources its test split was judged on. */
export async function resolveModel(db: Db, modelVersionId: string | undefined): Promise<ResolvedModel> {
  const id = modelVersionId ?? (await defaultModelVersionId(db));
  const model = id
    ? await db.modelVersion.findUnique({
        where: { id },
        select: {
          id: true,
          name: true,
          version: true,
          status: true,
          labelSetId: true,
          trainingRun: { select: { labelSources: true } },
        },
      })
    : null;
  if (!model) throw new DomainError("NOT_FOUND", "There is no such model version to audit.");
  const run = model.trainingRun?.labelSources ?? [];
  // a version without a run (the demo's first, an imported one) was judged on every label there was
  return { ...model, sources: run.length > 0 ? run : ALL_SOURCES };
}

function sourcesFor(scope: AuditScope, model: ResolvedModel): LabelSource[] {
  return scope === "reviewed" ? ["CONSENSUS", "CORRECTED"] : model.sources;
}

/**
 * The scope's cases as SQL: one row per prediction of the version, with "imageId", "predId" (predicted class),
 * "truthId" (null when unlabelled, only in the predicted scope), "truthSource", "probabilities", "confidence".
 * The truth is a lookup per prediction (LATERAL, on the Read and Consensus indexes), so the cost follows the
 * version's prediction count, not the size of the label tables. With a viewer, images they are blinded to are
 * left out: a case list would tell them the model's answer.
 */
export function casesSql(
  model: ResolvedModel,
  scope: AuditScope,
  opts: { viewerId?: string | null; extraWhere?: Prisma.Sql[] } = {},
): Prisma.Sql {
  const sources = sourcesFor(scope, model);
  const where: Prisma.Sql[] = [Prisma.sql`p."modelVersionId" = ${model.id}`, ...(opts.extraWhere ?? [])];
  if (scope === "test")
    where.push(Prisma.sql`EXISTS (SELECT 1 FROM "Image" i JOIN "Study" s ON s."id" = i."studyId"
      JOIN "Patient" pt ON pt."id" = s."patientId" WHERE i."id" = p."imageId" AND pt."split" = 'TEST')`);
  if (scope !== "predicted") where.push(Prisma.sql`t."classId" IS NOT NULL`);
  if (opts.viewerId) where.push(modelOutputVisibleSql(Prisma.sql`p."imageId"`, opts.viewerId));
  return Prisma.sql`
    SELECT p."imageId", p."predictedClassId" AS "predId", t."classId" AS "truthId", t."source" AS "truthSource",
           p."probabilities", p."confidence"
    FROM "Prediction" p
    LEFT JOIN LATERAL (
      SELECT x."classId", x."source" FROM (
        SELECT c."classId", 'CONSENSUS' AS "source", 1 AS "rank", c."updatedAt" AS "at"
        FROM "Consensus" c
        WHERE c."imageId" = p."imageId" AND c."labelSetId" = ${model.labelSetId} AND 'CONSENSUS' = ANY(${sources}::text[])
        UNION ALL
        SELECT r."classId", CASE r."source" WHEN 'READER' THEN 'CORRECTED' ELSE 'IMPORTED' END,
               CASE r."source" WHEN 'READER' THEN 2 ELSE 3 END, r."createdAt"
        FROM "Read" r
        WHERE r."imageId" = p."imageId" AND r."labelSetId" = ${model.labelSetId}
          AND NOT EXISTS (SELECT 1 FROM "Read" n WHERE n."supersedesId" = r."id")
          AND ((r."source" = 'READER' AND 'CORRECTED' = ANY(${sources}::text[]))
            OR (r."source" = 'IMPORT' AND 'IMPORTED' = ANY(${sources}::text[])))
      ) x ORDER BY x."rank", x."at" DESC LIMIT 1
    ) t ON true
    WHERE ${Prisma.join(where, " AND ")}`;
}

export interface ClassInfo {
  id: string;
  key: string;
  name: string;
  index: number;
  color: string;
}

export async function labelClasses(db: Db, labelSetId: string): Promise<ClassInfo[]> {
  return db.labelClass.findMany({
    where: { labelSetId },
    orderBy: { index: "asc" },
    select: { id: true, key: true, name: true, index: true, color: true },
  });
}

export function classByKey(classes: readonly ClassInfo[], key: string): ClassInfo {
  const found = classes.find((c) => c.key === key);
  if (!found) throw new DomainError("BAD_REQUEST", `The label set has no class "${key}".`);
  return found;
}
