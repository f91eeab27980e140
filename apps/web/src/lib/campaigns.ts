// The campaign form's contract, shared by the browser form and the server (browser-safe: zod and @cxr/domain
// only). The lists mirror Prisma's enums of the same names (ImageSource, CampaignTask, ConsensusRule).
import { idSchema, modalitySchema, queueStrategies, viewPositionSchema } from "@cxr/domain";
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
