// A reader study's part of the campaign form's contract (browser-safe: zod and @cxr/domain only). Every reader
// reads every case twice, unaided and aided, and rates each time how likely the study class is present.
import { readerStudyDesigns } from "@cxr/domain";
import { z } from "zod";

export const campaignModes = ["STANDARD", "READER_STUDY"] as const;

export const designLabels: Record<(typeof readerStudyDesigns)[number], string> = {
  SEQUENTIAL: "Sequential: every case unaided first, aided after the washout",
  CROSSOVER: "Crossover: half the cases aided first, the other half unaided first (per reader)",
};

export const readerStudySchema = z.object({
  /** the key of the class (in the campaign's label set) whose presence readers rate 0-100 */
  studyClass: z.string().trim().min(1, "Choose the study class.").max(64),
  washoutDays: z.number().int().min(0, "The washout is 0 days or more.").max(365),
  design: z.enum(readerStudyDesigns),
});
export type ReaderStudyInput = z.infer<typeof readerStudySchema>;

export const defaultReaderStudy = (studyClass = ""): ReaderStudyInput => ({
  studyClass,
  washoutDays: 28,
  design: "SEQUENTIAL",
});

/** A reader's rating that the study class is present, 0 (surely absent) to 100 (surely present). */
export const studyRatingSchema = z.number().int().min(0).max(100);

/** What a reader-study campaign's fields must satisfy together (the campaign schema's refinement). */
export function readerStudyIssue(c: {
  mode?: (typeof campaignModes)[number];
  readerStudy?: ReaderStudyInput | null;
  readerIds: string[];
  readsPerImage: number;
}): { message: string; path: string } | null {
  if (c.mode !== "READER_STUDY") return null;
  if (!c.readerStudy)
    return { message: "A reader study needs its study class, washout and design.", path: "readerStudy" };
  if (c.readsPerImage !== new Set(c.readerIds).size)
    return {
      message: "In a reader study every reader reads every case: reads per image must equal the readers.",
      path: "readsPerImage",
    };
  return null;
}
