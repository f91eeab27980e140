// The audit page's numbers, all computed in SQL from the stored predictions over one scope (scope.ts):
// the confusion matrix, the critical class's operating points, and what changed between two versions.
import { type Db } from "@cxr/db";
import { z } from "zod";
import {
  auditFilterSchema,
  casesSql,
  classByKey,
  labelClasses,
  resolveModel,
  type AuditFilter,
  type ClassInfo,
} from "./scope";

/** the costly confusions, listed first among the errors */
const CRITICAL_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ["pneumonia", "covid-19"],
  ["covid-19", "pneumonia"],
];

export interface ConfusionCell {
  truthKey: string;
  predictedKey: string;
  count: number;
  /** share of the true class's cases (the row) */
  rowRate: number;
}

export interface Confusion {
  model: { id: string; label: string; status: string };
  scope: string;
  classes: ClassInfo[];
  /** counts[truth index][predicted index], in the classes' order */
  counts: number[][];
  rowTotals: number[];
  total: number;
  /** predictions in the scope without any label (predicted scope only) */
  unlabelled: number;
  correct: number;
  /** the off-diagonal cells with cases: critical confusions first, then by count */
  errors: ConfusionCell[];
}

export async function confusion(
  db: Db,
  raw: AuditFilter,
  viewerId: string | null = null,
): Promise<Confusion> {
  const f = auditFilterSchema.parse(raw);
  const model = await resolveModel(db, f.modelVersionId);
  const classes = await labelClasses(db, model.labelSetId);
  const rows = await db.$queryRaw<{ truthId: string | null; predId: string; n: bigint }[]>`
    SELECT k."truthId", k."predId", count(*) AS n FROM (${casesSql(model, f.scope, { viewerId })}) k
    GROUP BY k."truthId", k."predId"`;
  const at = new Map(classes.map((c, i) => [c.id, i]));
  const counts = classes.map(() => classes.map(() => 0));
  let unlabelled = 0;
  for (const r of rows) {
    const t = r.truthId === null ? undefined : at.get(r.truthId);
    const p = at.get(r.predId);
    if (t === undefined || p === undefined) unlabelled += Number(r.n);
    else counts[t]![p]! += Number(r.n);
  }
  const rowTotals = counts.map((row) => row.reduce((s, n) => s + n, 0));
  const cells: ConfusionCell[] = [];
  counts.forEach((row, t) =>
    row.forEach((n, p) => {
      if (t !== p && n > 0)
        cells.push({
          truthKey: classes[t]!.key,
          predictedKey: classes[p]!.key,
          count: n,
          rowRate: n / rowTotals[t]!,
        });
    }),
  );
  const rank = (c: ConfusionCell) => {
    const i = CRITICAL_PAIRS.findIndex(([t, p]) => t === c.truthKey && p === c.predictedKey);
    return i < 0 ? CRITICAL_PAIRS.length : i;
  };
  cells.sort((a, b) => rank(a) - rank(b) || b.count - a.count);
  return {
    model: { id: model.id, label: `${model.name} v${model.version}`, status: model.status },
    scope: f.scope,
    classes,
    counts,
    rowTotals,
    total: rowTotals.reduce((s, n) => s + n, 0),
    unlabelled,
    correct: counts.reduce((s, row, i) => s + row[i]!, 0),
    errors: cells,
  };
}

export const thresholdInputSchema = auditFilterSchema.extend({
  classKey: z.string().min(1).max(64).default("covid-19"),
});

export interface OperatingPoint {
  threshold: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  sensitivity: number | null;
  specificity: number | null;
  ppv: number | null;
  npv: number | null;
}

const STEPS = 100;

/**
 * One class against the rest at every threshold 0, 0.01, ..., 1 on its probability: the counts come from a
 * 100-bucket histogram per true side (one pass in SQL, a few hundred rows back), so the slider and the ROC
 * need no case list. PPV and NPV are at the scope's own prevalence.
 */
export async function thresholds(
  db: Db,
  raw: z.input<typeof thresholdInputSchema>,
  viewerId: string | null = null,
) {
  const f = thresholdInputSchema.parse(raw);
  const model = await resolveModel(db, f.modelVersionId);
  const cls = classByKey(await labelClasses(db, model.labelSetId), f.classKey);
  const rows = await db.$queryRaw<{ bucket: number; positive: boolean; n: bigint }[]>`
    SELECT LEAST(${STEPS - 1}::int, GREATEST(0, floor(COALESCE(k."probabilities"[${cls.index + 1}::int], 0) * ${STEPS}::int)))::int AS bucket,
           (k."truthId" = ${cls.id}) AS positive, count(*) AS n
    FROM (${casesSql(model, f.scope, { viewerId })}) k WHERE k."truthId" IS NOT NULL
    GROUP BY 1, 2`;
  const pos = new Array<number>(STEPS).fill(0);
  const neg = new Array<number>(STEPS).fill(0);
  for (const r of rows) (r.positive ? pos : neg)[r.bucket]! += Number(r.n);
  const P = pos.reduce((s, n) => s + n, 0);
  const N = neg.reduce((s, n) => s + n, 0);
  const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
  const points: OperatingPoint[] = [];
  // called positive at threshold k/STEPS: every bucket from k up
  let tpAbove = 0;
  let fpAbove = 0;
  const above: { tp: number; fp: number }[] = new Array(STEPS + 1);
  above[STEPS] = { tp: 0, fp: 0 };
  for (let k = STEPS - 1; k >= 0; k--) {
    tpAbove += pos[k]!;
    fpAbove += neg[k]!;
    above[k] = { tp: tpAbove, fp: fpAbove };
  }
  for (let k = 0; k <= STEPS; k++) {
    const { tp, fp } = above[k]!;
    const fn = P - tp;
    const tn = N - fp;
    points.push({
      threshold: k / STEPS,
      tp,
      fp,
      tn,
      fn,
      sensitivity: ratio(tp, P),
      specificity: ratio(tn, N),
      ppv: ratio(tp, tp + fp),
      npv: ratio(tn, tn + fn),
    });
  }
  return {
    classKey: cls.key,
    className: cls.name,
    positives: P,
    negatives: N,
    prevalence: ratio(P, P + N),
    points,
  };
}

export const compareInputSchema = auditFilterSchema.extend({
  modelVersionId: z.string().min(1).max(64),
  baselineId: z.string().min(1).max(64),
});

/**
 * Two versions on one scope (the scope and truth of `modelVersionId`): cases both predicted with a label, and
 * how many went from right to wrong and from wrong to right going from the baseline to the version.
 */
export async function compare(
  db: Db,
  raw: z.input<typeof compareInputSchema>,
  viewerId: string | null = null,
) {
  const f = compareInputSchema.parse(raw);
  const [model, baseline] = await Promise.all([
    resolveModel(db, f.modelVersionId),
    resolveModel(db, f.baselineId),
  ]);
  const [row] = await db.$queryRaw<{ both: bigint; rw: bigint; wr: bigint; bothRight: bigint }[]>`
    SELECT count(*) AS both,
           count(*) FILTER (WHERE b."predictedClassId" = k."truthId" AND k."predId" <> k."truthId") AS rw,
           count(*) FILTER (WHERE b."predictedClassId" <> k."truthId" AND k."predId" = k."truthId") AS wr,
           count(*) FILTER (WHERE b."predictedClassId" = k."truthId" AND k."predId" = k."truthId") AS "bothRight"
    FROM (${casesSql(model, f.scope, { viewerId })}) k
    JOIN "Prediction" b ON b."imageId" = k."imageId" AND b."modelVersionId" = ${baseline.id}
    WHERE k."truthId" IS NOT NULL`;
  return {
    model: { id: model.id, label: `${model.name} v${model.version}` },
    baseline: { id: baseline.id, label: `${baseline.name} v${baseline.version}` },
    scope: f.scope,
    both: Number(row?.both ?? 0),
    rightToWrong: Number(row?.rw ?? 0),
    wrongToRight: Number(row?.wr ?? 0),
    bothRight: Number(row?.bothRight ?? 0),
  };
}
