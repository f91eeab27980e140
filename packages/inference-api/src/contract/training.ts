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

/** The architectures a run can train, as the ML engine names them (stored as `ModelArchitecture`). */
export const trainingArchitectureSchema = z.enum(["compact", "vgg16", "densenet121", "resnet50"]);
export type TrainingArchitecture = z.infer<typeof trainingArchitectureSchema>;

export const startTrainingSchema = z.object({
  labelSet: z.string().min(1),
  architecture: trainingArchitectureSchema.default("compact"),
  /** head-only retraining (frozen backbone) or full fine-tuning */
  mode: trainingModeSchema.default("FULL_FINE_TUNE"),
  labelSources: z
    .array(labelSourceSchema)
    .min(1)
    .default(() => [...labelSources]),
  epochs: z.number().int().min(1).max(200).default(10),
  seed: z.number().int().default(42),
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

export const runViewSchema = z.object({
  id: z.string(),
  labelSet: z.string(),
  architecture: modelArchitectureSchema,
  mode: trainingModeSchema,
  labelSources: z.array(labelSourceSchema),
  status: trainingStatusSchema,
  epochs: z.number().int(),
  currentEpoch: z.number().int(),
  /** the phase and last epoch's figures, as the service writes them */
  progress: z.unknown(),
  error: z.string().nullable(),
  workerId: z.string().nullable(),
  queuedAt: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
});
export type RunView = z.infer<typeof runViewSchema>;

export interface TrainingHandlers {
  /** creates a QUEUED run and its job */
  start(input: StartTrainingInput): Promise<RunView>;
  cancel(input: CancelTrainingInput): Promise<RunView>;
  list(input: ListTrainingInput): Promise<RunView[]>;
  /** the run at once, then at each change of status or epoch figures, ending at a final status or on `signal` */
  progress(input: TrainingRunIdInput, signal?: AbortSignal): AsyncIterable<RunView>;
}
