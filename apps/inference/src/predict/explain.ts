// explain as callers see it: one image's prediction with the Grad-CAM map of one class, layer and variant asked
// for, computed once and stored (GradCamMap is unique per prediction, class, layer and variant), so asking again
// returns the stored map. A user's request (actorId) is checked active and its computing audited.
import { recordAudit } from "@cxr/db";
import { requireActiveAccount } from "@cxr/domain";
import type { ExplainInput, ExplainResult } from "@cxr/inference-api";
import type { Deps } from "../deps";
import { queueNames } from "../queue/boss";
import { requestPredictions } from "./request";

export async function explainImage(deps: Deps, input: ExplainInput): Promise<ExplainResult> {
  if (input.actorId !== undefined) await requireActiveAccount(deps.db, input.actorId);
  const method = input.method ?? "GRADCAM";
  const layer = input.targetLayer ?? null;
  const matches = (g: { classKey: string; targetLayer: string; method: string }) =>
    g.classKey === input.classKey && (layer === null || g.targetLayer === layer) && g.method === method;
  const stored = await deps.db.gradCamMap.count({
    where: {
      method,
      labelClass: { key: input.classKey },
      prediction: {
        imageId: input.imageId,
        ...(input.modelVersionId ? { modelVersionId: input.modelVersionId } : {}),
      },
      ...(layer ? { targetLayer: layer } : {}),
    },
  });
  const { modelVersionId, items } = await requestPredictions(deps, {
    imageIds: [input.imageId],
    modelVersionId: input.modelVersionId,
    labelSet: input.labelSet,
    gradcam: [input.classKey],
    targetLayer: input.targetLayer,
    method,
    wait: input.wait,
    queue: queueNames.explain,
  });
  const item = items[0]!;
  if (item.status !== "done") return { modelVersionId, status: item.status, map: null, item };
  const map = item.prediction.gradcams.find(matches) ?? null;
  if (map && stored === 0 && input.actorId)
    await recordAudit(deps.db, {
      actorId: input.actorId,
      action: "gradcam.computed",
      entityType: "Prediction",
      entityId: item.prediction.id,
      after: { classKey: input.classKey, method, targetLayer: map.targetLayer, modelVersionId },
    });
  return { modelVersionId, status: item.status, map, item };
}
