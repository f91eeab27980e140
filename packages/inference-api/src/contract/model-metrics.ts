// What a model version's `metrics` and `history` hold, as the service writes them when it registers a version.
// Kept as JSON in the registry; callers parse with these schemas (older versions may lack the newer fields).
import { labelSourceSchema } from "@cxr/domain";
import { z } from "zod";

const intervalSchema = z.object({ lower: z.number(), upper: z.number() });

export const classMetricsSchema = z.object({
  precision: z.number(),
  recall: z.number(),
  specificity: z.number(),
  f1: z.number(),
  auc: z.number().nullable().optional(),
});

/** Figures on the locked test split. */
export const evaluationMetricsSchema = z.object({
  classes: z.array(z.string()),
  count: z.number().int(),
  accuracy: z.number(),
  macroF1: z.number(),
  ece: z.number(),
  aucOvrMacro: z.number().nullable(),
  kappa: z.number().nullable(),
  perClass: z.record(z.string(), classMetricsSchema),
  /** rows true, columns predicted */
  confusionMatrix: z.array(z.array(z.number().int())),
  /** 95% bootstrap intervals by figure: accuracy, macro_f1, auc_ovr_macro, `<class>.sensitivity`, ... */
  ci95: z.record(z.string(), intervalSchema.nullable()).optional(),
  roc: z.record(z.string(), z.array(z.object({ fpr: z.number(), tpr: z.number() }))).optional(),
  pr: z.record(z.string(), z.array(z.object({ recall: z.number(), precision: z.number() }))).optional(),
  reliability: z
    .array(
      z.object({
        upper: z.number(),
        count: z.number().int(),
        confidence: z.number().nullable(),
        accuracy: z.number().nullable(),
      }),
    )
    .optional(),
});
export type EvaluationMetricsView = z.infer<typeof evaluationMetricsSchema>;

export const gateCheckSchema = z.object({
  name: z.string(),
  candidate: z.number().nullable(),
  champion: z.number().nullable(),
  passed: z.boolean(),
});

/** Images and patients a run learned from, per class key and label source. */
export const trainingDataSchema = z.record(
  z.string(),
  z.partialRecord(labelSourceSchema, z.object({ images: z.number().int(), patients: z.number().int() })),
);
export type TrainingData = z.infer<typeof trainingDataSchema>;

export const modelMetricsSchema = z.object({
  test: evaluationMetricsSchema.nullable(),
  /** the champion the gate compared with, measured on the same test split */
  champion: z.object({ id: z.string(), test: evaluationMetricsSchema.nullable() }).nullable(),
  gate: z.object({ passed: z.boolean(), checks: z.array(gateCheckSchema) }).nullable(),
  data: trainingDataSchema.optional(),
  /** labels per reader (user id) among what it learned from; absent in versions trained before it was recorded */
  readers: z.record(z.string(), z.number().int()).optional(),
});
export type ModelMetrics = z.infer<typeof modelMetricsSchema>;

/** One epoch of training, as the run recorded it. */
export const epochHistorySchema = z.array(
  z.object({
    epoch: z.number().int(),
    loss: z.number(),
    accuracy: z.number(),
    valLoss: z.number().nullable(),
    valAccuracy: z.number().nullable(),
    seconds: z.number(),
    learningRate: z.number().optional(),
  }),
);
export type EpochHistory = z.infer<typeof epochHistorySchema>;
