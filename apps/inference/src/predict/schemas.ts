// The predict job on the queue, and the keys that make sending it idempotent.
import { gradcamMethodSchema, gradcamRequestSchema } from "@cxr/inference-api";
import { z } from "zod";

/** A predict job: one image, one model version. */
export const predictJobSchema = z.object({
  imageId: z.string().min(1),
  modelVersionId: z.string().min(1),
  gradcam: gradcamRequestSchema,
  /** Grad-CAM layer; default the model's own */
  targetLayer: z.string().min(1).max(200).optional(),
  /** Grad-CAM variant of the maps; absent: standard */
  method: gradcamMethodSchema.optional(),
});
export type PredictJob = z.infer<typeof predictJobSchema>;

export const predictJobKey = (job: { imageId: string; modelVersionId: string }) =>
  `${job.imageId}:${job.modelVersionId}`;

/** Explain jobs are keyed by what they produce, so asking for another class or layer is not deduplicated away. */
export const explainJobKey = (job: PredictJob) =>
  `${predictJobKey(job)}:${JSON.stringify(job.gradcam)}:${job.targetLayer ?? ""}:${job.method ?? "GRADCAM"}`;
