// What a run would learn from before it starts: labelled images and patients per class and label source, how
// many labels are newer than the champion, the split, the version it would start from, and why it cannot start.
// `training.start` refuses with the same reasons, so the browser's preview and the service never disagree.
import type { Db, LabelSource } from "@cxr/db";
import { DomainError } from "@cxr/domain";
import {
  trainingPreviewInputSchema,
  type PreviewCounts,
  type TrainingPreview,
  type TrainingPreviewInput,
  type TrainingRefusal,
} from "@cxr/inference-api";
import { architectureToDb } from "../models/registry";
import { labelRows, type LabelRow } from "./dataset";

/** Fewer trainable labels than this (train, validation and not yet split) cannot make a useful model. */
export const minTrainingLabels = 6;

/** When each chosen label was given, by the source labelRows took it from (consensus, a reader's read, an import). */
async function labelTimes(db: Db, labelSetId: string, rows: readonly LabelRow[]) {
  const imageIds = rows.map((r) => r.imageId);
  const [consensus, reads] = await Promise.all([
    db.consensus.findMany({
      where: { labelSetId, imageId: { in: imageIds } },
      select: { imageId: true, createdAt: true },
    }),
    db.read.findMany({
      where: { labelSetId, imageId: { in: imageIds }, supersededBy: null },
      select: { imageId: true, source: true, createdAt: true },
    }),
  ]);
  const at = new Map<string, Date>(); // `${source}:${imageId}` -> when
  for (const c of consensus) at.set(`CONSENSUS:${c.imageId}`, c.createdAt);
  for (const r of reads) {
    const key = `${r.source === "READER" ? "CORRECTED" : "IMPORTED"}:${r.imageId}`;
    const seen = at.get(key);
    if (!seen || seen < r.createdAt) at.set(key, r.createdAt);
  }
  return (row: LabelRow) => at.get(`${row.source}:${row.imageId}`);
}

/** The chosen labels of `sources` given after `since` (all of them when `since` is null). */
export async function labelsSince(
  db: Db,
  labelSetId: string,
  sources: readonly LabelSource[],
  since: Date | null,
): Promise<LabelRow[]> {
  const rows = await labelRows(db, labelSetId, sources);
  if (since === null) return rows;
  const timeOf = await labelTimes(db, labelSetId, rows);
  return rows.filter((r) => (timeOf(r)?.getTime() ?? 0) > since.getTime());
}

function counter() {
  const patients = new Set<string>();
  const counts: PreviewCounts = { images: 0, patients: 0 };
  return {
    counts,
    add(row: LabelRow) {
      counts.images++;
      patients.add(row.patientId);
      counts.patients = patients.size;
    },
  };
}

export async function previewTraining(db: Db, raw: TrainingPreviewInput): Promise<TrainingPreview> {
  const input = trainingPreviewInputSchema.parse(raw);
  const labelSet = await db.labelSet.findUnique({
    where: { name: input.labelSet },
    include: { classes: { orderBy: { index: "asc" } } },
  });
  if (!labelSet) throw new DomainError("NOT_FOUND", `label set ${input.labelSet} does not exist`);
  const champion = await db.modelVersion.findFirst({
    where: { labelSetId: labelSet.id, status: "CHAMPION" },
    select: { id: true, version: true, architecture: true, createdAt: true, classKeys: true },
  });
  const rows = await labelRows(db, labelSet.id, input.labelSources);
  const timeOf = champion ? await labelTimes(db, labelSet.id, rows) : () => undefined;
  const isNew = (row: LabelRow) =>
    champion !== null && (timeOf(row)?.getTime() ?? 0) > champion.createdAt.getTime();

  // the locked test patients are never trained on: the per-class figures count the rest
  const trainable = rows.filter((r) => r.split !== "TEST");
  const splits = { train: counter(), validation: counter(), test: counter(), unassigned: counter() };
  for (const row of rows)
    splits[
      row.split === "TRAIN"
        ? "train"
        : row.split === "VALIDATION"
          ? "validation"
          : row.split === "TEST"
            ? "test"
            : "unassigned"
    ].add(row);
  const total = counter();
  for (const row of trainable) total.add(row);

  const classes = labelSet.classes.map((c) => {
    const own = trainable.filter((r) => r.classKey === c.key);
    const all = counter();
    const bySource = new Map<LabelSource, ReturnType<typeof counter>>();
    for (const row of own) {
      all.add(row);
      const cell = bySource.get(row.source) ?? counter();
      cell.add(row);
      bySource.set(row.source, cell);
    }
    return {
      key: c.key,
      name: c.name,
      retired: c.retired,
      ...all.counts,
      bySource: Object.fromEntries([...bySource].map(([source, cell]) => [source, cell.counts])),
      newSinceChampion: own.filter(isNew).length,
    };
  });

  const startsFrom =
    input.mode !== "FROM_SCRATCH" && champion?.architecture === architectureToDb[input.architecture]
      ? { id: champion.id, version: champion.version }
      : null;
  // head-only keeps the champion's output: labels of classes it does not predict cannot train its head
  const predicts =
    input.mode === "HEAD_ONLY" && startsFrom && champion ? new Set(champion.classKeys) : undefined;
  const skippedRows = predicts ? trainable.filter((r) => !predicts.has(r.classKey)) : [];
  const skipped = predicts
    ? { labels: skippedRows.length, classes: [...new Set(skippedRows.map((r) => r.classKey))] }
    : null;
  const refusals: TrainingRefusal[] = [];
  const nothingLeft = skipped !== null && skipped.labels > 0 && skipped.labels === trainable.length;
  if (nothingLeft)
    refusals.push({
      code: "NO_CHAMPION_CLASS",
      message: `none of the ${skipped.labels} labels is of a class the champion predicts (it predicts ${champion!.classKeys.join(", ")}): head-only training keeps the champion's classes, train from scratch instead`,
    });
  else if (total.counts.images - (skipped?.labels ?? 0) < minTrainingLabels)
    refusals.push({
      code: "TOO_FEW_LABELS",
      message: `too few labels: ${total.counts.images - (skipped?.labels ?? 0)} labelled images outside the locked test split${skipped?.labels ? ` of the champion's classes` : ""}, at least ${minTrainingLabels} are needed`,
    });
  // head-only learns only the champion's classes: the others may be empty
  const empty = classes
    .filter((c) => !c.retired && c.images === 0 && (!predicts || predicts.has(c.key)))
    .map((c) => c.key);
  // with nothing of the champion's classes left, its classes are all empty: the refusal above says why
  if (empty.length > 0 && !nothingLeft)
    refusals.push({
      code: "EMPTY_CLASS",
      message: `no examples of ${empty.join(", ")} in the chosen label sources: label some, retire the class or add a source`,
    });
  if (input.mode !== "FROM_SCRATCH" && startsFrom === null)
    refusals.push({
      code: "NO_CHAMPION",
      message: `${input.mode === "HEAD_ONLY" ? "head-only training" : "fine-tuning"} starts from the champion, and ${input.labelSet} has no ${input.architecture} champion: train from scratch first`,
    });

  return {
    labelSet: labelSet.name,
    architecture: input.architecture,
    mode: input.mode,
    labelSources: input.labelSources,
    classes,
    total: total.counts,
    newSinceChampion: trainable.filter(isNew).length,
    split: {
      train: splits.train.counts,
      validation: splits.validation.counts,
      test: splits.test.counts,
      unassigned: splits.unassigned.counts,
    },
    champion: champion && {
      id: champion.id,
      version: champion.version,
      architecture: champion.architecture,
      createdAt: champion.createdAt,
    },
    startsFrom,
    skipped,
    refusals,
  };
}

/** Throws the preview's first refusal as the start's error (BAD_REQUEST for the data, PRECONDITION_FAILED for the champion). */
export function refuseUnlessTrainable(preview: TrainingPreview): void {
  const refusal = preview.refusals[0];
  if (!refusal) return;
  throw new DomainError(
    refusal.code === "NO_CHAMPION" ? "PRECONDITION_FAILED" : "BAD_REQUEST",
    preview.refusals.map((r) => r.message).join("; "),
  );
}
