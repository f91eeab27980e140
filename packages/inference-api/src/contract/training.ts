// Training runs: queued, run by whichever replica is free, followed live, cancelled.
import {
  idSchema,
  labelSources,
  labelSourceSchema,
  modelArchitectureSchema,
  trainingModeSchema,
  trainingStatusSchema,
} from "@cxr/domain";
import { z } from "zod";
import type { TrainingPreview, TrainingPreviewInput } from "./training-plan";

/** The architectures a run can train, as the ML engine names them (stored as `ModelArchitecture`). */
export const trainingArchitectureSchema = z.enum(["compact", "vgg16", "densenet121", "resnet50"]);
export type TrainingArchitecture = z.infer<typeof trainingArchitectureSchema>;

export const startTrainingSchema = z.object({
  labelSet: z.string().min(1),
  architecture: trainingArchitectureSchema.default("compact"),
  /**
   * HEAD_ONLY: a new head on the champion's frozen backbone; FULL_FINE_TUNE: every layer, from the champion's
   * weights; FROM_SCRATCH: new weights. The first two need a champion of the same architecture.
   */
  mode: trainingModeSchema.default("FROM_SCRATCH"),
  labelSources: z
    .array(labelSourceSchema)
    .min(1)
    .default(() => [...labelSources]),
  epochs: z.number().int().min(1).max(200).default(10),
  /** images per step; absent: the engine's choice for the mode and data size */
  batchSize: z.number().int().min(1).max(512).optional(),
  /** weight of ROI guidance (readers' regions) in full training, 0 to switch it off; absent: the engine's default */
  roiWeight: z.number().min(0).max(1).optional(),
  seed: z.number().int().default(42),
  /** promote the candidate when it passes the gate; false: it stays a candidate and a person decides */
  autoPromote: z.boolean().default(true),
  /** the person starting it, checked like `actorId` (an active ADMIN); absent for the service's own runs (demo) */
  startedById: idSchema.optional(),
});
/** What a caller sends (defaults not applied yet). */
export type StartTrainingRequest = z.input<typeof startTrainingSchema>;
export type StartTrainingInput = z.infer<typeof startTrainingSchema>;

/** `actorId`: the acting user, checked by the service (exists, active, ADMIN) before acting. */
export const cancelTrainingInputSchema = z.object({
  id: idSchema,
  actorId: idSchema,
  reason: z.string().max(2000).optional(),
});
export type CancelTrainingInput = z.infer<typeof cancelTrainingInputSchema>;

export const listTrainingInputSchema = z
  .object({ labelSet: z.string().optional(), take: z.number().int().min(1).max(500).optional() })
  .default({});
export type ListTrainingInput = z.infer<typeof listTrainingInputSchema>;

export const trainingRunIdInputSchema = z.object({ id: idSchema });
export type TrainingRunIdInput = z.infer<typeof trainingRunIdInputSchema>;

/** One epoch's figures, as the report plots them. */
export const epochFiguresSchema = z.object({
  epoch: z.number().int(),
  loss: z.number(),
  accuracy: z.number(),
  valLoss: z.number().nullable(),
  valAccuracy: z.number().nullable(),
  /** the optimiser's learning rate during this epoch */
  learningRate: z.number().nullable().optional(),
  seconds: z.number().optional(),
});
export type EpochFigures = z.infer<typeof epochFiguresSchema>;

/** What a run's progress column holds (the service writes it; every field but the phase may be absent). */
export const trainingProgressSchema = z.object({
  phase: z.enum(["queued", "loading", "embedding", "training", "evaluating", "done"]),
  epoch: z.number().int(),
  epochs: z.number().int(),
  loss: z.number().optional(),
  accuracy: z.number().optional(),
  valLoss: z.number().nullable().optional(),
  valAccuracy: z.number().nullable().optional(),
  learningRate: z.number().nullable().optional(),
  etaSeconds: z.number().optional(),
  /** steps done and planned within the current phase (images embedded, epochs trained) */
  step: z.object({ done: z.number().int(), total: z.number().int() }).optional(),
  /** training: the epoch under way (1-based) and its batches done of its batches planned */
  batch: z
    .object({ epoch: z.number().int(), step: z.number().int(), stepsPerEpoch: z.number().int() })
    .optional(),
  /** every finished epoch so far, for live curves */
  history: z.array(epochFiguresSchema).optional(),
  /** head-only runs: backbone embeddings found in the cache and computed */
  embeddingCache: z.object({ hits: z.number().int(), misses: z.number().int() }).optional(),
  /** the version whose weights the run started from (fine-tune, head-only), null from scratch */
  parentModelVersionId: z.string().nullable().optional(),
  modelVersionId: z.string().optional(),
  gatePassed: z.boolean().optional(),
  /** head-only: labels of classes the champion does not predict, skipped (outside the locked test split) */
  skippedLabels: z.number().int().optional(),
  /** training images whose readers' ROIs guided the model */
  roiGuidedImages: z.number().int().optional(),
});
export type TrainingProgress = z.infer<typeof trainingProgressSchema>;

export const runViewSchema = z.object({
  id: z.string(),
  labelSet: z.string(),
  architecture: modelArchitectureSchema,
  mode: trainingModeSchema,
  labelSources: z.array(labelSourceSchema),
  status: trainingStatusSchema,
  epochs: z.number().int(),
  currentEpoch: z.number().int(),
  batchSize: z.number().int().nullable(),
  roiWeight: z.number().nullable(),
  /** the phase, last epoch's figures and the history so far; null for a row written before progress existed */
  progress: trainingProgressSchema.nullable(),
  /** who started it; null for the service's own runs (demo, retraining policy) */
  startedBy: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
  error: z.string().nullable(),
  workerId: z.string().nullable(),
  queuedAt: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
});
export type RunView = z.infer<typeof runViewSchema>;

export interface TrainingHandlers {
  /** creates a QUEUED run and its job; refuses what `preview` refuses */
  start(input: StartTrainingInput): Promise<RunView>;
  cancel(input: CancelTrainingInput): Promise<RunView>;
  list(input: ListTrainingInput): Promise<RunView[]>;
  /** the run at once, then at each change of status or epoch figures, ending at a final status or on `signal` */
  progress(input: TrainingRunIdInput, signal?: AbortSignal): AsyncIterable<RunView>;
  /** what a run would learn from and start from, and why it could not start */
  preview(input: TrainingPreviewInput): Promise<TrainingPreview>;
}
