// What a TrainingRun row holds besides its own columns: its params and the progress this service writes.
// (What callers send to start one is the contract's `startTrainingSchema`, in @cxr/inference-api.)
import { z } from "zod";

export const trainingParamsSchema = z.object({
  seed: z.number().int().default(42),
  demo: z.boolean().default(false),
});

export interface TrainingProgress {
  phase: "queued" | "loading" | "training" | "evaluating" | "done";
  epoch: number;
  epochs: number;
  loss?: number;
  accuracy?: number;
  valLoss?: number | null;
  valAccuracy?: number | null;
  etaSeconds?: number;
  modelVersionId?: string;
  gatePassed?: boolean;
  /** training images whose readers' ROIs guided the model */
  roiGuidedImages?: number;
}
