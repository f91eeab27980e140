// What a TrainingRun row holds besides its own columns: its params and the progress this service writes.
// (What callers send to start one is the contract's `startTrainingSchema`, in @cxr/inference-api.)
import { z } from "zod";

export const trainingParamsSchema = z.object({
  seed: z.number().int().default(42),
  demo: z.boolean().default(false),
  batchSize: z.number().int().positive().optional(),
  roiWeight: z.number().min(0).optional(),
  /** rows written before this existed were promoted on a passed gate: they keep that */
  autoPromote: z.boolean().default(true),
});

/** The progress column, as the contract defines it. */
export type { TrainingProgress } from "@cxr/inference-api";
