// Grad-CAM against readers' ROIs on the audit page: per class of the audited version, over the scope's cases,
// the pointing game (strict, 15 px) and the mean energy inside the ROIs of the standard Grad-CAM of the
// predicted class, and how many correct cases were right for the wrong reason (energy inside every read's ROIs
// under half). Rows come from CamRoiAgreement (one per map and read).
import { Prisma, type Db } from "@cxr/db";
import { wrongReasonEnergy } from "~/lib/audit/selection";
import { auditFilterSchema, casesSql, labelClasses, resolveModel, type AuditFilter } from "./scope";

/** The agreement rows of the case k's prediction by this version, for its predicted class's standard map. */
const rowsOf = (modelVersionId: string) => Prisma.sql`
  FROM "CamRoiAgreement" a
  JOIN "Prediction" pp ON pp."id" = a."predictionId"
  JOIN "GradCamMap" g ON g."id" = a."gradCamMapId"
  WHERE pp."imageId" = k."imageId" AND pp."modelVersionId" = ${modelVersionId}
    AND a."classId" = k."predId" AND g."method" = 'GRADCAM'`;

/** Conditions on a case k (casesSql's alias) that make it right for the wrong reason. */
export function wrongReasonSql(modelVersionId: string): Prisma.Sql {
  return Prisma.sql`k."truthId" IS NOT NULL AND k."predId" = k."truthId"
    AND EXISTS (SELECT 1 ${rowsOf(modelVersionId)})
    AND NOT EXISTS (SELECT 1 ${rowsOf(modelVersionId)} AND a."energyInside" >= ${wrongReasonEnergy})`;
}

export interface CamRoiClassRow {
  classKey: string;
  className: string;
  /** (map, read) pairs scored */
  pairs: number;
  /** cases with at least one pair */
  cases: number;
  pointingStrict: number;
  pointingTolerant: number;
  meanEnergyInside: number;
  /** correct cases whose energy inside every read's ROIs is under half */
  wrongReason: number;
}

export async function camRoiSummary(
  db: Db,
  raw: AuditFilter,
  viewerId: string | null = null,
): Promise<{ modelVersionId: string; classes: CamRoiClassRow[] }> {
  const f = auditFilterSchema.parse(raw);
  const model = await resolveModel(db, f.modelVersionId);
  const classes = await labelClasses(db, model.labelSetId);
  const cases = casesSql(model, f.scope, { viewerId });
  const [pairs, wrong] = await Promise.all([
    db.$queryRaw<
      { predId: string; pairs: bigint; cases: bigint; strict: number; tolerant: number; energy: number }[]
    >`
      SELECT k."predId", count(*) AS pairs, count(DISTINCT k."imageId") AS cases,
             avg(a."pointingStrict"::int)::float8 AS strict, avg(a."pointingTolerant"::int)::float8 AS tolerant,
             avg(a."energyInside")::float8 AS energy
      FROM (${cases}) k
      JOIN "Prediction" pp ON pp."imageId" = k."imageId" AND pp."modelVersionId" = ${model.id}
      JOIN "CamRoiAgreement" a ON a."predictionId" = pp."id" AND a."classId" = k."predId"
      JOIN "GradCamMap" g ON g."id" = a."gradCamMapId" AND g."method" = 'GRADCAM'
      GROUP BY k."predId"`,
    db.$queryRaw<{ predId: string; n: bigint }[]>`
      SELECT k."predId", count(*) AS n FROM (${cases}) k WHERE ${wrongReasonSql(model.id)} GROUP BY k."predId"`,
  ]);
  return {
    modelVersionId: model.id,
    classes: classes.flatMap((c) => {
      const row = pairs.find((p) => p.predId === c.id);
      if (!row) return [];
      return [
        {
          classKey: c.key,
          className: c.name,
          pairs: Number(row.pairs),
          cases: Number(row.cases),
          pointingStrict: row.strict,
          pointingTolerant: row.tolerant,
          meanEnergyInside: row.energy,
          wrongReason: Number(wrong.find((w) => w.predId === c.id)?.n ?? 0),
        },
      ];
    }),
  };
}
