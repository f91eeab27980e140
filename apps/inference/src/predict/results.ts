// Stored predictions as callers see them: probabilities named by class, with their Grad-CAM maps.
import type { Db } from "@cxr/db";
import type { GradcamMethod, GradcamRequest, PredictionView } from "@cxr/inference-api";
import { wantedClasses } from "./run-predictions";

/** The stored predictions of these images for one version, and whether each has the maps asked for. */
export async function storedPredictions(
  db: Db,
  modelVersionId: string,
  imageIds: readonly string[],
  gradcam: GradcamRequest,
  targetLayer?: string,
  method: GradcamMethod = "GRADCAM",
): Promise<Map<string, { view: PredictionView; complete: boolean }>> {
  const rows = await db.prediction.findMany({
    where: { modelVersionId, imageId: { in: [...imageIds] } },
    include: {
      modelVersion: {
        select: {
          version: true,
          targetLayer: true,
          classKeys: true,
          labelSet: { select: { classes: { orderBy: { index: "asc" } } } },
        },
      },
      gradCamMaps: true,
    },
  });
  const result = new Map<string, { view: PredictionView; complete: boolean }>();
  for (const row of rows) {
    const classes = row.modelVersion.labelSet.classes;
    const keyOf = new Map(classes.map((c) => [c.id, c.key]));
    const predicted = classes.findIndex((c) => c.id === row.predictedClassId);
    const have = new Set(
      row.gradCamMaps
        .filter((m) => m.targetLayer === (targetLayer ?? row.modelVersion.targetLayer) && m.method === method)
        .map((m) => m.classId),
    );
    const keys = classes.map((c) => c.key);
    const modelKeys = row.modelVersion.classKeys.length ? row.modelVersion.classKeys : keys;
    const complete = wantedClasses(gradcam, keys, predicted, modelKeys).every((i) =>
      have.has(classes[i]!.id),
    );
    result.set(row.imageId, {
      complete,
      view: {
        id: row.id,
        imageId: row.imageId,
        modelVersionId: row.modelVersionId,
        modelVersion: row.modelVersion.version,
        probabilities: row.probabilities.map((probability, i) => ({
          classKey: classes[i]?.key ?? String(i),
          probability,
        })),
        predictedClass: keyOf.get(row.predictedClassId) ?? "?",
        confidence: row.confidence,
        entropy: row.entropy,
        margin: row.margin,
        leastConfidence: row.leastConfidence,
        bald: row.bald,
        durationMs: row.durationMs,
        createdAt: row.createdAt,
        gradcams: row.gradCamMaps.map((m) => ({
          classKey: keyOf.get(m.classId) ?? "?",
          targetLayer: m.targetLayer,
          method: m.method,
          mapSha256: m.mapSha256,
          width: m.width,
          height: m.height,
        })),
      },
    });
  }
  return result;
}
