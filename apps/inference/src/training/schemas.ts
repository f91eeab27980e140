import { z } from "zod";

export const architectureSchema = z.enum(["compact", "vgg16", "densenet121", "resnet50"]);

export const startTrainingSchema = z.object({
  labelSet: z.string().min(1),
  architecture: architectureSchema.default("compact"),
  /** head-only retraining (frozen backbone) or full fine-tuning */
  mode: z.enum(["HEAD_ONLY", "FULL_FINE_TUNE"]).default("FULL_FINE_TUNE"),
  labelSources: z
    .array(z.enum(["CONSENSUS", "CORRECTED", "IMPORTED"]))
    .min(1)
    .default(["CONSENSUS", "CORRECTED", "IMPORTED"]),
  epochs: z.number().int().min(1).max(200).default(10),
  seed: z.number().int().default(42),
  startedById: z.string().optional(),
});
export type StartTrainingInput = z.input<typeof startTrainingSchema>;

/** What TrainingRun.params holds besides its own columns. */
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
