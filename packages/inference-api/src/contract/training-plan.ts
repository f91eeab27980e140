// Before and around training: what a run would learn from (preview, with its refusals), the retraining policy
// per label set, and how far the champion's re-scoring of unreviewed images has come.
import {
  idSchema,
  labelSourceSchema,
  modelArchitectureSchema,
  trainingModeSchema,
  trainingStatusSchema,
} from "@cxr/domain";
import { z } from "zod";
import { startTrainingSchema, trainingArchitectureSchema } from "./training";

/** What a preview is asked about: the parts of a start request that decide the data and the starting point. */
export const trainingPreviewInputSchema = startTrainingSchema.pick({
  labelSet: true,
  architecture: true,
  mode: true,
  labelSources: true,
});
export type TrainingPreviewInput = z.infer<typeof trainingPreviewInputSchema>;

const countsSchema = z.object({ images: z.number().int(), patients: z.number().int() });
export type PreviewCounts = z.infer<typeof countsSchema>;

/** Why a run cannot start; `training.start` refuses with the same messages (BAD_REQUEST / PRECONDITION_FAILED). */
export const trainingRefusalCodes = [
  "TOO_FEW_LABELS",
  "EMPTY_CLASS",
  "NO_CHAMPION",
  "NO_CHAMPION_CLASS",
] as const;
export const trainingRefusalSchema = z.object({
  code: z.enum(trainingRefusalCodes),
  message: z.string(),
});
export type TrainingRefusal = z.infer<typeof trainingRefusalSchema>;

export const trainingPreviewSchema = z.object({
  labelSet: z.string(),
  architecture: trainingArchitectureSchema,
  mode: trainingModeSchema,
  labelSources: z.array(labelSourceSchema),
  /** per class of the label set: labelled images and patients, by label source, and labels newer than the champion */
  classes: z.array(
    z.object({
      key: z.string(),
      name: z.string(),
      retired: z.boolean(),
      images: z.number().int(),
      patients: z.number().int(),
      bySource: z.partialRecord(labelSourceSchema, countsSchema),
      newSinceChampion: z.number().int(),
    }),
  ),
  total: countsSchema,
  newSinceChampion: z.number().int(),
  /** by the patients' split now; unassigned patients get one (train, validation or test) when the run starts */
  split: z.object({
    train: countsSchema,
    validation: countsSchema,
    test: countsSchema,
    unassigned: countsSchema,
  }),
  champion: z
    .object({
      id: z.string(),
      version: z.number().int(),
      architecture: modelArchitectureSchema,
      createdAt: z.date(),
    })
    .nullable(),
  /** the version whose weights the run would start from; null: from scratch */
  startsFrom: z.object({ id: z.string(), version: z.number().int() }).nullable(),
  /**
   * head-only on the champion: labels (outside the locked test split) of classes the champion does not predict,
   * which the run skips, and those classes; null in the other modes or without a champion to start from
   */
  skipped: z.object({ labels: z.number().int(), classes: z.array(z.string()) }).nullable(),
  /** empty: the run can start */
  refusals: z.array(trainingRefusalSchema),
});
export type TrainingPreview = z.infer<typeof trainingPreviewSchema>;

// ---------------------------------------------------------------- retraining policy

export const labelSetInputSchema = z.object({ labelSet: z.string().min(1) });
export type LabelSetInput = z.infer<typeof labelSetInputSchema>;

/** `actorId`: the acting user, checked by the service (exists, active, ADMIN) and recorded in the audit event. */
export const setPolicyInputSchema = z.object({
  labelSet: z.string().min(1),
  enabled: z.boolean(),
  /** new CONSENSUS or CORRECTED labels since the champion (and since the last trigger) that start a run */
  threshold: z.number().int().min(1).max(1_000_000),
  mode: trainingModeSchema,
  architecture: trainingArchitectureSchema,
  epochs: z.number().int().min(1).max(200),
  actorId: idSchema,
});
export type SetPolicyInput = z.infer<typeof setPolicyInputSchema>;

export const policyViewSchema = z.object({
  labelSet: z.string(),
  enabled: z.boolean(),
  threshold: z.number().int(),
  mode: trainingModeSchema,
  architecture: modelArchitectureSchema,
  epochs: z.number().int(),
  updatedAt: z.date(),
  updatedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  /** labels that count towards the threshold now */
  newLabels: z.number().int(),
  lastTriggeredAt: z.date().nullable(),
  /** the run its last trigger started, with its status now */
  lastRun: z.object({ id: z.string(), status: trainingStatusSchema }).nullable(),
});
export type PolicyView = z.infer<typeof policyViewSchema>;

// ---------------------------------------------------------------- re-scoring after a promotion

export const rescoreProgressSchema = z.object({
  labelSet: z.string(),
  champion: z.object({ id: z.string(), version: z.number().int() }).nullable(),
  /** images no reader has decided on (what the champion re-scores) */
  unreviewed: z.number().int(),
  /** of those, how many have the champion's prediction */
  scored: z.number().int(),
  /** prediction jobs waiting in the queue (all versions) */
  queued: z.number().int(),
});
export type RescoreProgress = z.infer<typeof rescoreProgressSchema>;

export interface PolicyHandlers {
  get(input: LabelSetInput): Promise<PolicyView | null>;
  set(input: SetPolicyInput): Promise<PolicyView>;
}
