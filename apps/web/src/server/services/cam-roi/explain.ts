// Grad-CAM for any class and either variant on demand, from the viewer's class selector: a map already stored
// for the prediction, class, layer and variant is returned at once; otherwise the inference service's explain
// computes it as the acting user (it stores it once: a second request finds it). Nobody blinded to the case's
// model output gets a map (it would tell them the model's answer); annotators reach only their assigned cases
// (the router's requireTaskImage).
import { type Db } from "@cxr/db";
import { DomainError, idSchema } from "@cxr/domain";
import type { InferenceClient } from "@cxr/inference-api/client";
import { gradcamMethodSchema } from "@cxr/inference-api";
import { z } from "zod";
import { modelVersionLabel } from "../review/model-choice";
import { maySeeModelOutput } from "../review/visibility";

export const explainMapInputSchema = z.object({
  imageId: idSchema,
  modelVersionId: idSchema,
  classId: idSchema,
  method: gradcamMethodSchema.default("GRADCAM"),
});

export interface ExplainedMap {
  status: "done" | "queued" | "failed";
  /** the stored map (GradCamMap id), once done */
  mapId: string | null;
  /** the model version the map explains */
  model: string;
}

export async function explainMap(
  db: Db,
  inference: Pick<InferenceClient, "explain">,
  actorId: string,
  raw: z.input<typeof explainMapInputSchema>,
): Promise<ExplainedMap> {
  const input = explainMapInputSchema.parse(raw);
  const prediction = await db.prediction.findUnique({
    where: { imageId_modelVersionId: { imageId: input.imageId, modelVersionId: input.modelVersionId } },
    select: {
      id: true,
      modelVersion: { select: { name: true, version: true, targetLayer: true, labelSetId: true } },
    },
  });
  if (!prediction) throw new DomainError("NOT_FOUND", "This model version has no prediction for this case.");
  if (!(await maySeeModelOutput(db, actorId, input.imageId)))
    throw new DomainError("FORBIDDEN", "You read this case blinded: its model output stays hidden.");
  const cls = await db.labelClass.findFirst({
    where: { id: input.classId, labelSetId: prediction.modelVersion.labelSetId },
    select: { key: true },
  });
  if (!cls) throw new DomainError("BAD_REQUEST", "This class is not one of the model's label set.");
  const model = modelVersionLabel(prediction.modelVersion);
  const find = () =>
    db.gradCamMap.findUnique({
      where: {
        predictionId_classId_targetLayer_method: {
          predictionId: prediction.id,
          classId: input.classId,
          targetLayer: prediction.modelVersion.targetLayer,
          method: input.method,
        },
      },
      select: { id: true },
    });
  const stored = await find();
  if (stored) return { status: "done", mapId: stored.id, model };
  const result = await inference.explain.mutate({
    imageId: input.imageId,
    modelVersionId: input.modelVersionId,
    classKey: cls.key,
    method: input.method,
    actorId,
    wait: true,
  });
  if (result.status !== "done") return { status: result.status, mapId: null, model };
  return { status: "done", mapId: (await find())?.id ?? null, model };
}
