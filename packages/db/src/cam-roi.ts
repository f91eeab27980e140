// Grad-CAM against readers' ROIs, stored per map and read (CamRoiAgreement): which pairs need scoring and the
// idempotent write. The web app calls it when a read with ROIs is saved, the inference service when a version's
// maps are stored for an image that has such reads; both pass @cxr/imaging's scorer (the map's bytes live in
// their object storage, which this package does not know).
import { storedRoiSchema, type StoredRoi } from "@cxr/domain";
import type { Db } from "./client";

export interface CamRoiPair {
  mapSha256: string;
  rois: StoredRoi[];
  /** the image's size: the pointing game's tolerance is in its pixels */
  image: { width: number; height: number };
}

/** The figures of one pair, or null when they cannot be computed (ROIs too small for the map). */
export type CamRoiScorer = (
  pair: CamRoiPair,
) => Promise<{ pointingStrict: boolean; pointingTolerant: boolean; energyInside: number } | null>;

/** Reads just saved, or predictions whose maps were just stored. */
export type CamRoiScope = { readIds: readonly string[] } | { predictionIds: readonly string[] };

/**
 * Scores every map of a read's class on the read's image against the read's ROIs (those of its class or of
 * none), for the reads or predictions in scope, and stores the pairs not stored yet. Returns how many it stored.
 */
export async function syncCamRoiAgreements(
  db: Pick<Db, "read" | "gradCamMap" | "camRoiAgreement">,
  scope: CamRoiScope,
  score: CamRoiScorer,
): Promise<number> {
  const byPrediction = "predictionIds" in scope;
  const ids = [...(byPrediction ? scope.predictionIds : scope.readIds)];
  if (ids.length === 0) return 0;
  const reads = await db.read.findMany({
    where: {
      ...(byPrediction ? { image: { predictions: { some: { id: { in: ids } } } } } : { id: { in: ids } }),
      annotations: { some: { deletedAt: null } },
    },
    select: {
      annotations: {
        where: { deletedAt: null },
        select: { shape: true, points: true, strokeWidth: true, classId: true },
      },
      image: { select: { width: true, height: true } },
      id: true,
      imageId: true,
      classId: true,
    },
  });
  if (reads.length === 0) return 0;
  const maps = await db.gradCamMap.findMany({
    where: {
      classId: { in: [...new Set(reads.map((r) => r.classId))] },
      prediction: { imageId: { in: [...new Set(reads.map((r) => r.imageId))] } },
      ...(byPrediction ? { predictionId: { in: ids } } : {}),
    },
    select: {
      id: true,
      predictionId: true,
      classId: true,
      mapSha256: true,
      prediction: { select: { imageId: true } },
    },
  });
  const stored = await db.camRoiAgreement.findMany({
    where: { gradCamMapId: { in: maps.map((m) => m.id) }, readId: { in: reads.map((r) => r.id) } },
    select: { gradCamMapId: true, readId: true },
  });
  const done = new Set(stored.map((s) => `${s.gradCamMapId}/${s.readId}`));
  const rows = [];
  for (const read of reads) {
    const { width, height } = read.image;
    if (!width || !height) continue;
    // a read's ROIs mark its own class (or none): another class's regions say nothing about this map
    const rois = read.annotations
      .filter((a) => a.classId === null || a.classId === read.classId)
      .flatMap((a) => {
        const roi = storedRoiSchema.safeParse(a);
        return roi.success ? [roi.data] : [];
      });
    if (rois.length === 0) continue;
    for (const map of maps) {
      if (map.classId !== read.classId || map.prediction.imageId !== read.imageId) continue;
      if (done.has(`${map.id}/${read.id}`)) continue;
      const figures = await score({ mapSha256: map.mapSha256, rois, image: { width, height } });
      if (!figures) continue;
      rows.push({
        predictionId: map.predictionId,
        readId: read.id,
        classId: read.classId,
        gradCamMapId: map.id,
        ...figures,
      });
    }
  }
  // skipDuplicates: a concurrent sync of the same pair (a submit while the map is stored) stores it once
  const { count } = await db.camRoiAgreement.createMany({ data: rows, skipDuplicates: true });
  return count;
}
