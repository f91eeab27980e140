// Which images a run learns from and is judged on: labels from the sources asked for, split by patient, with
// the locked test split (Patient.split = TEST) never used for training.
import type { Db, LabelSource, Split } from "@cxr/db";
import type { TrainingData } from "@cxr/inference-api";
import type { Deps } from "../deps";
import { storedRoiSchema as roiSchema, type StoredRoi as RoiOutline } from "@cxr/domain";
import { rasterizeRois } from "@cxr/imaging";
import type { GrayImage, LabelledImage } from "../engine/types";
import { loadMaster, ImageUnavailableError } from "../storage/images";

export interface LabelRow {
  imageId: string;
  classIndex: number;
  classKey: string;
  patientId: string;
  split: Split | null;
  masterSha256: string | null;
  /** the regions readers drew for this label (their current reads gave the image this class) */
  rois: RoiOutline[];
  /** where the label came from: consensus, a reader's correction or an imported label */
  source: LabelSource;
  /** who gave it: the correction's reader, the consensus's adjudicator (null: imported, or a computed consensus) */
  readerId: string | null;
}

/** One label per image: consensus first, then a reader's latest correction, then the imported label. */
export async function labelRows(
  db: Db,
  labelSetId: string,
  sources: readonly LabelSource[],
): Promise<LabelRow[]> {
  const classes = await db.labelClass.findMany({ where: { labelSetId } });
  const classById = new Map(classes.map((c) => [c.id, c]));
  const chosen = new Map<string, string>(); // imageId -> classId
  const sourceOf = new Map<string, LabelSource>();
  const readerOf = new Map<string, string>();
  const take = (imageId: string, classId: string, source: LabelSource, readerId: string | null) => {
    if (chosen.has(imageId)) return;
    chosen.set(imageId, classId);
    sourceOf.set(imageId, source);
    if (readerId) readerOf.set(imageId, readerId);
  };
  if (sources.includes("CONSENSUS")) {
    for (const c of await db.consensus.findMany({
      where: { labelSetId },
      select: { imageId: true, classId: true, decidedById: true },
    }))
      take(c.imageId, c.classId, "CONSENSUS", c.decidedById);
  }
  for (const [source, readSource] of [
    ["CORRECTED", "READER"],
    ["IMPORTED", "IMPORT"],
  ] as const) {
    if (!sources.includes(source)) continue;
    const reads = await db.read.findMany({
      // the current read of a chain: nothing supersedes it
      where: { labelSetId, source: readSource, supersededBy: null },
      orderBy: { createdAt: "desc" },
      select: { imageId: true, classId: true, readerId: true },
    });
    for (const r of reads) take(r.imageId, r.classId, source, r.readerId);
  }
  const images = await db.image.findMany({
    where: { id: { in: [...chosen.keys()] }, status: { not: "FAILED" } },
    select: {
      id: true,
      masterSha256: true,
      study: { select: { patient: { select: { id: true, split: true } } } },
    },
  });
  const rois = await labelRois(db, labelSetId, chosen);
  return images.flatMap((image) => {
    const labelClass = classById.get(chosen.get(image.id)!);
    if (!labelClass) return [];
    return [
      {
        imageId: image.id,
        classIndex: labelClass.index,
        classKey: labelClass.key,
        patientId: image.study.patient.id,
        split: image.study.patient.split,
        masterSha256: image.masterSha256,
        rois: rois.get(image.id) ?? [],
        source: sourceOf.get(image.id) ?? "IMPORTED",
        readerId: readerOf.get(image.id) ?? null,
      },
    ];
  });
}

/**
 * The ROIs behind each chosen label: annotations (not deleted) on the current reads of this label set that gave
 * the image the chosen class, unless the annotation names another class. A stored shape that no longer parses is
 * left out rather than failing the run.
 */
async function labelRois(
  db: Db,
  labelSetId: string,
  chosen: ReadonlyMap<string, string>,
): Promise<Map<string, RoiOutline[]>> {
  const annotations = await db.annotation.findMany({
    where: {
      deletedAt: null,
      imageId: { in: [...chosen.keys()] },
      read: { is: { labelSetId, supersededBy: null } },
    },
    select: {
      imageId: true,
      classId: true,
      shape: true,
      points: true,
      strokeWidth: true,
      read: { select: { classId: true } },
    },
    orderBy: { createdAt: "asc" },
  });
  const out = new Map<string, RoiOutline[]>();
  for (const a of annotations) {
    const classId = chosen.get(a.imageId);
    if (a.read?.classId !== classId || (a.classId !== null && a.classId !== classId)) continue;
    const roi = roiSchema.safeParse({ shape: a.shape, points: a.points, strokeWidth: a.strokeWidth });
    if (!roi.success) continue;
    out.set(a.imageId, [...(out.get(a.imageId) ?? []), roi.data]);
  }
  return out;
}

/** ROI masks are drawn at most this many pixels on a side: models read 224, and a mask per image adds up. */
export const roiMaskMaxSide = 512;

/** The union of a row's ROIs as a [0, 1] mask of the image's aspect ratio (undefined without ROIs). */
export async function roiMask(
  rois: readonly RoiOutline[],
  image: { width: number; height: number },
): Promise<GrayImage | undefined> {
  if (rois.length === 0) return undefined;
  const scale = Math.min(1, roiMaskMaxSide / Math.max(image.width, image.height));
  const [width, height] = [
    Math.max(1, Math.round(image.width * scale)),
    Math.max(1, Math.round(image.height * scale)),
  ];
  const mask = await rasterizeRois(rois, width, height);
  return { width, height, data: Float32Array.from(mask.data, (v) => v / 255) };
}

/** Gives patients without a split one (stratified, seeded); TEST patients keep theirs. */
export async function assignSplits(deps: Pick<Deps, "db" | "engine">, rows: LabelRow[]): Promise<LabelRow[]> {
  if (rows.every((r) => r.split !== null)) return rows;
  const lockedTest = [...new Set(rows.filter((r) => r.split === "TEST").map((r) => r.patientId))];
  const split = deps.engine.splitPatients(
    rows.map((r) => ({ patientId: r.patientId, label: r.classKey })),
    lockedTest,
  );
  const side = new Map<string, Split>();
  for (const p of split.train) side.set(p, "TRAIN");
  for (const p of split.val) side.set(p, "VALIDATION");
  for (const p of split.test) side.set(p, "TEST");
  const unassigned = [...new Set(rows.filter((r) => r.split === null).map((r) => r.patientId))];
  for (const value of ["TRAIN", "VALIDATION", "TEST"] as const) {
    const ids = unassigned.filter((p) => side.get(p) === value);
    // only patients still without a split: another run may have assigned them meanwhile
    if (ids.length)
      await deps.db.patient.updateMany({ where: { id: { in: ids }, split: null }, data: { split: value } });
  }
  const current = await deps.db.patient.findMany({
    where: { id: { in: unassigned } },
    select: { id: true, split: true },
  });
  const now = new Map(current.map((p) => [p.id, p.split]));
  return rows.map((r) => (r.split === null ? { ...r, split: now.get(r.patientId) ?? null } : r));
}

/** Loads the pixels of labelled rows; images that cannot be read are left out. */
export async function loadLabelled(
  deps: Pick<Deps, "storage">,
  rows: readonly LabelRow[],
): Promise<LabelledImage[]> {
  const out: LabelledImage[] = [];
  for (const row of rows) {
    try {
      const image = await loadMaster(deps.storage, { id: row.imageId, masterSha256: row.masterSha256 });
      const mask = await roiMask(row.rois, image);
      out.push({
        image,
        classKey: row.classKey,
        patientId: row.patientId,
        ...(mask ? { roiMask: mask } : {}),
      });
    } catch (error) {
      if (!(error instanceof ImageUnavailableError)) throw error;
    }
  }
  return out;
}

/** The labels a run learned from (its training and validation rows) per reader who gave them (user id). */
export function trainingReaders(rows: readonly LabelRow[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of rows) {
    if ((row.split === "TRAIN" || row.split === "VALIDATION") && row.readerId)
      counts[row.readerId] = (counts[row.readerId] ?? 0) + 1;
  }
  return counts;
}

/** What a run learned from (its training and validation rows): images and patients per class and label source. */
export function trainingData(rows: readonly LabelRow[]): TrainingData {
  const data: TrainingData = {};
  const patients = new Map<string, Set<string>>();
  for (const row of rows) {
    if (row.split !== "TRAIN" && row.split !== "VALIDATION") continue;
    const bySource = (data[row.classKey] ??= {});
    const cell = (bySource[row.source] ??= { images: 0, patients: 0 });
    cell.images++;
    const key = `${row.classKey}\u0000${row.source}`;
    const seen = patients.get(key) ?? new Set<string>();
    seen.add(row.patientId);
    patients.set(key, seen);
    cell.patients = seen.size;
  }
  return data;
}
