// The image ids of an audit selection (a confusion cell, or the cases two versions disagree on), in a stable
// order: most confident first, so the worst mistakes come first. Feeds the viewer's queue and the exports.
import { Prisma, type Db } from "@cxr/db";
import { type AuditSelection } from "~/lib/audit/selection";
import { wrongReasonSql } from "./cam-roi";
import { casesSql, classByKey, labelClasses, resolveModel } from "./scope";

/** The extra conditions on the scope's cases (alias k) that make the selection, and the version it is of. */
export async function selectionWhere(db: Db, sel: AuditSelection) {
  const model = await resolveModel(db, sel.modelVersionId);
  if (sel.kind === "cell") {
    const classes = await labelClasses(db, model.labelSetId);
    const truth = classByKey(classes, sel.truthKey);
    const predicted = classByKey(classes, sel.predictedKey);
    return { model, where: Prisma.sql`k."truthId" = ${truth.id} AND k."predId" = ${predicted.id}` };
  }
  if (sel.kind === "wrongReason") return { model, where: wrongReasonSql(model.id) };
  const baseline = await resolveModel(db, sel.baselineId);
  const [wasRight, isRight] =
    sel.direction === "rightToWrong" ? [Prisma.sql`=`, Prisma.sql`<>`] : [Prisma.sql`<>`, Prisma.sql`=`];
  return {
    model,
    where: Prisma.sql`k."truthId" IS NOT NULL AND k."predId" ${isRight} k."truthId" AND EXISTS (
      SELECT 1 FROM "Prediction" b WHERE b."imageId" = k."imageId" AND b."modelVersionId" = ${baseline.id}
        AND b."predictedClassId" ${wasRight} k."truthId")`,
  };
}

/**
 * A page of the selection's image ids (`offset` into its stable order) and, with `counted`, how many it has in
 * all: the viewer pages through a selection of any size without its ids in the address.
 */
export async function selectionImageIds(
  db: Db,
  sel: AuditSelection,
  viewerId: string | null,
  limit: number,
  { offset = 0, counted = false }: { offset?: number; counted?: boolean } = {},
): Promise<{ modelVersionId: string; imageIds: string[]; total: number | null }> {
  const { model, where } = await selectionWhere(db, sel);
  const cases = casesSql(model, sel.scope, { viewerId });
  const [rows, count] = await Promise.all([
    db.$queryRaw<{ imageId: string }[]>`
      SELECT k."imageId" FROM (${cases}) k WHERE ${where}
      ORDER BY k."confidence" DESC, k."imageId" LIMIT ${limit} OFFSET ${offset}`,
    counted
      ? db.$queryRaw<{ n: bigint }[]>`SELECT COUNT(*) AS n FROM (${cases}) k WHERE ${where}`
      : Promise.resolve(null),
  ]);
  return {
    modelVersionId: model.id,
    imageIds: rows.map((r) => r.imageId),
    total: count ? Number(count[0]?.n ?? 0) : null,
  };
}
