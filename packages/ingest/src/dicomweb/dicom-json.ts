// The DICOM JSON model (PS3.18 F.2) that QIDO-RS and STOW-RS speak, validated with zod.
import { z } from "zod";

const attributeSchema = z.object({
  vr: z.string(),
  Value: z.array(z.unknown()).optional(),
});

export const dicomJsonSchema = z.record(z.string().regex(/^[0-9A-Fa-f]{8}$/), attributeSchema);
export type DicomJson = z.infer<typeof dicomJsonSchema>;

export function jsonString(item: DicomJson, tag: string): string | undefined {
  const value = item[tag]?.Value?.[0];
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (value && typeof value === "object" && "Alphabetic" in value)
    return String((value as { Alphabetic: unknown }).Alphabetic);
  return undefined;
}

export const TAG = {
  StudyInstanceUID: "0020000D",
  SeriesInstanceUID: "0020000E",
  SOPInstanceUID: "00080018",
  SOPClassUID: "00080016",
  StudyDate: "00080020",
  StudyDescription: "00081030",
  ModalitiesInStudy: "00080061",
  Modality: "00080060",
  RetrieveURL: "00081190",
  FailedSOPSequence: "00081198",
  ReferencedSOPSequence: "00081199",
  ReferencedSOPClassUID: "00081150",
  ReferencedSOPInstanceUID: "00081155",
  FailureReason: "00081197",
  WarningReason: "00081196",
} as const;
