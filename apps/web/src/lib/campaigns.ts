// The campaign form's contract, shared by the browser form and the server (browser-safe: zod and @cxr/domain
// only). The lists mirror Prisma's enums of the same names (ImageSource, CampaignTask, ConsensusRule).
import {
  idSchema,
  mixableStrategies,
  modalitySchema,
  queueStrategies,
  strategyWeightsSchema,
  viewPositionSchema,
  type MixableStrategy,
  type QueueStrategy,
  type StrategyWeights,
} from "@cxr/domain";
import { z } from "zod";
import { campaignModes, readerStudyIssue, readerStudySchema } from "./reader-study";

export const imageSources = [
  "UPLOAD",
  "DICOM_FILE",
  "DICOMWEB",
  "DATASET_COHEN",
  "DATASET_KERMANY",
  "DATASET_RADIOGRAPHY_DB",
  "FOLDER",
  "SYNTHETIC",
] as const;

export const campaignTasks = ["CLASSIFY", "CLASSIFY_ROI", "ROI_ONLY"] as const;
export const taskLabels: Record<(typeof campaignTasks)[number], string> = {
  CLASSIFY: "Classify",
  CLASSIFY_ROI: "Classify and draw regions",
  ROI_ONLY: "Regions only (annotators)",
};

export const consensusRules = ["MAJORITY", "UNANIMITY", "ADJUDICATOR"] as const;

export const reviewedFilters = ["any", "reviewed", "unreviewed"] as const;

const day = z.iso.date();

/** Which images a campaign takes: every filter optional; READY images only, oldest study date first. */
export const selectionSchema = z
  .object({
    /** the data set (or other source) the images came from */
    source: z.enum(imageSources).optional(),
    importJobId: idSchema.optional(),
    modality: modalitySchema.optional(),
    viewPosition: viewPositionSchema.optional(),
    /** study date range, inclusive (the image's acquisition date, else its study's, else its import's) */
    from: day.optional(),
    to: day.optional(),
    /** class key the label set's model predicts */
    predictedClass: z.string().min(1).max(64).optional(),
    /** class key of the data set's own (imported) label */
    importedClass: z.string().min(1).max(64).optional(),
    reviewed: z.enum(reviewedFilters).default("any"),
    /** at most this many images (the oldest first) */
    limit: z.number().int().min(1).max(5000).default(200),
  })
  .refine((s) => !s.from || !s.to || s.from <= s.to, { message: "The date range ends before it starts." });

export type Selection = z.infer<typeof selectionSchema>;
export type SelectionInput = z.input<typeof selectionSchema>;

export const newCampaignSchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    description: z.string().trim().max(1000).nullable().default(null),
    labelSetId: idSchema,
    task: z.enum(campaignTasks),
    readerIds: z.array(idSchema).min(1, "Choose at least one reader.").max(200),
    adjudicatorIds: z.array(idSchema).max(50).default([]),
    readsPerImage: z.number().int().min(1).max(20),
    blinded: z.boolean(),
    strategy: z.enum(queueStrategies),
    /** WEIGHTED_MIX only: strategy -> weight */
    strategyWeights: strategyWeightsSchema.nullable().default(null),
    dueAt: z.coerce.date().nullable().default(null),
    consensusRule: z.enum(consensusRules),
    iouThreshold: z.number().min(0.05).max(0.95).default(0.5),
    selection: selectionSchema,
    mode: z.enum(campaignModes).default("STANDARD"),
    readerStudy: readerStudySchema.nullable().default(null),
  })
  .refine((c) => c.readsPerImage <= new Set(c.readerIds).size, {
    message:
      "Each image needs as many distinct readers as reads per image: choose more readers or fewer reads.",
    path: ["readsPerImage"],
  })
  .refine((c) => c.strategy !== "WEIGHTED_MIX" || c.strategyWeights !== null, {
    message: "A weighted mix needs its weights: give at least one strategy a weight above 0.",
    path: ["strategyWeights"],
  })
  .refine(
    (c) => c.mode === "READER_STUDY" || c.consensusRule !== "ADJUDICATOR" || c.adjudicatorIds.length > 0,
    {
      message: "The adjudicator rule needs at least one adjudicator.",
      path: ["adjudicatorIds"],
    },
  )
  .superRefine((c, ctx) => {
    const issue = readerStudyIssue(c);
    if (issue) ctx.addIssue({ code: "custom", message: issue.message, path: [issue.path] });
  });

export type NewCampaignInput = z.input<typeof newCampaignSchema>;

export const campaignActions = ["pause", "resume", "close"] as const;

/** One line per queue strategy, for the campaign form: what the readers get first. */
export const strategyDescriptions: Record<QueueStrategy, string> = {
  FIFO: "In the order the images were selected.",
  RANDOM: "Shuffled once: every reader meets the images in a fixed random order.",
  ENTROPY: "The most uncertain predictions first (entropy over all classes).",
  MARGIN: "The closest calls first: the smallest gap between the two most probable classes.",
  LEAST_CONFIDENCE: "The lowest top probability first.",
  BALD: "Where Monte-Carlo dropout passes disagree most (the model's own uncertainty).",
  COMMITTEE_DISAGREEMENT: "Where the label set's model versions vote differently.",
  CRITICAL_CONFUSION: "Predictions split between the critical classes (pneumonia vs COVID-19) first.",
  CAM_ROI_DISAGREEMENT:
    "Heat maps that lie outside the regions readers drew on the image or on its 5 nearest labelled look-alikes first.",
  DIVERSITY: "A batch that covers the data (k-center greedy on the model's embeddings), not near-duplicates.",
  WEIGHTED_MIX: "A weighted sum of the other strategies' ranks, with the weights below.",
};

/** The weights with one strategy's changed; a weight of 0 (or not a number) drops the strategy. */
export function withWeight(
  weights: StrategyWeights | null,
  strategy: MixableStrategy,
  value: number,
): StrategyWeights {
  const next: StrategyWeights = { ...weights };
  if (Number.isFinite(value) && value > 0) next[strategy] = value;
  else delete next[strategy];
  return next;
}

/** "entropy 2, diversity 1": a mix's weights as people read them (nothing for weights that do not parse). */
export function weightsText(weights: unknown): string {
  const w = strategyWeightsSchema.safeParse(weights);
  if (!w.success) return "";
  return mixableStrategies
    .filter((s) => (w.data[s] ?? 0) > 0)
    .map((s) => `${s.toLowerCase().replaceAll("_", " ")} ${w.data[s]}`)
    .join(", ");
}
