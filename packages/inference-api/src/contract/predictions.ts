// Predictions and Grad-CAM maps: what is stored comes back at once, the rest is queued (and waited for, or not).
import { idSchema } from "@cxr/domain";
import { z } from "zod";

/** Which Grad-CAM maps a prediction stores: none, the predicted class's, every class's, or the named classes'. */
export const gradcamRequestSchema = z
  .union([z.enum(["none", "predicted", "all"]), z.array(z.string().min(1).max(100)).min(1).max(32)])
  .default("predicted");
export type GradcamRequest = z.infer<typeof gradcamRequestSchema>;

/** Grad-CAM's two variants: standard (ReLU, divided by the max) and the report's guided form (min-max). */
export const gradcamMethodSchema = z.enum(["GRADCAM", "GUIDED_GRADCAM"]);
export type GradcamMethod = z.infer<typeof gradcamMethodSchema>;

/** Which model: the version named, else the champion of `labelSet`, else the latest champion. */
const target = {
  modelVersionId: idSchema.optional(),
  labelSet: z.string().min(1).optional(),
};

export const predictInputSchema = z.object({
  imageIds: z.array(idSchema).min(1).max(256),
  ...target,
  gradcam: gradcamRequestSchema,
  /** false: queue and answer at once (status "queued"); ask again later for the stored result */
  wait: z.boolean().default(true),
});
export type PredictInput = z.infer<typeof predictInputSchema>;

export const explainInputSchema = z.object({
  imageId: idSchema,
  classKey: z.string().min(1).max(100),
  ...target,
  /** default: the model's own Grad-CAM layer */
  targetLayer: z.string().min(1).max(200).optional(),
  method: gradcamMethodSchema.default("GRADCAM"),
  /** the user asking (checked active; any role: the caller decides who may ask); absent: a service call */
  actorId: idSchema.optional(),
  wait: z.boolean().default(true),
});
export type ExplainInput = z.infer<typeof explainInputSchema>;

export const queuePendingInputSchema = z.object(target);
export type QueuePendingInput = z.infer<typeof queuePendingInputSchema>;

export const gradcamMapSchema = z.object({
  classKey: z.string(),
  targetLayer: z.string(),
  method: gradcamMethodSchema,
  /** the map's PNG in object storage */
  mapSha256: z.string(),
  width: z.number().int(),
  height: z.number().int(),
});
export type GradcamMap = z.infer<typeof gradcamMapSchema>;

/** A stored prediction: probabilities named by class, uncertainty scores and its Grad-CAM maps. */
export const predictionViewSchema = z.object({
  id: z.string(),
  imageId: z.string(),
  modelVersionId: z.string(),
  modelVersion: z.number().int(),
  probabilities: z.array(z.object({ classKey: z.string(), probability: z.number() })),
  predictedClass: z.string(),
  confidence: z.number(),
  entropy: z.number().nullable(),
  margin: z.number().nullable(),
  leastConfidence: z.number().nullable(),
  bald: z.number().nullable(),
  durationMs: z.number().int().nullable(),
  createdAt: z.date(),
  gradcams: z.array(gradcamMapSchema),
});
export type PredictionView = z.infer<typeof predictionViewSchema>;

export const predictItemSchema = z.discriminatedUnion("status", [
  z.object({ imageId: z.string(), status: z.literal("done"), prediction: predictionViewSchema }),
  /** jobId null: an equal job was already waiting */
  z.object({ imageId: z.string(), status: z.literal("queued"), jobId: z.string().nullable() }),
  z.object({ imageId: z.string(), status: z.literal("failed"), error: z.string() }),
]);
export type PredictItem = z.infer<typeof predictItemSchema>;

export const predictResultSchema = z.object({
  modelVersionId: z.string(),
  /** one per distinct image asked for, in the order asked */
  items: z.array(predictItemSchema),
});
export type PredictResult = z.infer<typeof predictResultSchema>;

export const explainResultSchema = z.object({
  modelVersionId: z.string(),
  status: z.enum(["done", "queued", "failed"]),
  /** the map asked for, once it is stored */
  map: gradcamMapSchema.nullable(),
  item: predictItemSchema,
});
export type ExplainResult = z.infer<typeof explainResultSchema>;

export const queuePendingResultSchema = z.object({
  modelVersionId: z.string(),
  jobId: z.string().nullable(),
});
export type QueuePendingResult = z.infer<typeof queuePendingResultSchema>;

export interface PredictionHandlers {
  /** one image or a batch */
  predict(input: PredictInput): Promise<PredictResult>;
  /** the Grad-CAM of one image for a class, model version and layer, on demand (stored and reused) */
  explain(input: ExplainInput): Promise<ExplainResult>;
  /** queues the model's prediction for every unreviewed image without one (new imports included) */
  queuePending(input: QueuePendingInput): Promise<QueuePendingResult>;
}
