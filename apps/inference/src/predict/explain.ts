// explain as callers see it: one image's prediction with the Grad-CAM map of one class (and layer) asked for.
import type { ExplainInput, ExplainResult } from "@cxr/inference-api";
import type { Deps } from "../deps";
import { queueNames } from "../queue/boss";
import { requestPredictions } from "./request";

export async function explainImage(deps: Deps, input: ExplainInput): Promise<ExplainResult> {
  const { modelVersionId, items } = await requestPredictions(deps, {
    imageIds: [input.imageId],
    modelVersionId: input.modelVersionId,
    labelSet: input.labelSet,
    gradcam: [input.classKey],
    targetLayer: input.targetLayer,
    wait: input.wait,
    queue: queueNames.explain,
  });
  const item = items[0]!;
  if (item.status !== "done") return { modelVersionId, status: item.status, map: null, item };
  const layer = input.targetLayer ?? null;
  const map =
    item.prediction.gradcams.find(
      (g) => g.classKey === input.classKey && (layer === null || g.targetLayer === layer),
    ) ?? null;
  return { modelVersionId, status: item.status, map, item };
}
