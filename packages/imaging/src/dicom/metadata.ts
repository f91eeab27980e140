// DICOM attributes mapped onto the platform's domain model (Patient / Study / Image), validated with zod.
import { viewPositionSchema } from "@cxr/domain";
import { z } from "zod";
import { parseDicomDate } from "../dates";
import { RejectedFileError } from "../errors";
import type { DataSet } from "./lib";

const sexSchema = z.enum(["MALE", "FEMALE", "OTHER"]);
const viewSchema = viewPositionSchema;

export const dicomMetadataSchema = z.object({
  patientId: z.string().optional(),
  patientName: z.string().optional(),
  sex: sexSchema.optional(),
  ageYears: z.number().min(0).max(150).optional(),
  birthYear: z.number().int().optional(),
  studyInstanceUid: z.string().optional(),
  seriesInstanceUid: z.string().optional(),
  sopInstanceUid: z.string().optional(),
  sopClassUid: z.string().optional(),
  accessionNumber: z.string().optional(),
  studyDate: z.date().optional(),
  studyDescription: z.string().optional(),
  acquiredAt: z.date().optional(),
  /** the acquisition date as written, kept when it could not be read exactly */
  acquiredAtText: z.string().optional(),
  modality: z.string().optional(),
  viewPosition: viewSchema.optional(),
  /** View Position as written, when it maps to none of the platform's views */
  viewPositionText: z.string().optional(),
  bodyPart: z.string().optional(),
  institution: z.string().optional(),
  numberOfFrames: z.number().int().positive(),
});

export type DicomMetadata = z.infer<typeof dicomMetadataSchema>;

const str = (ds: DataSet, tag: string): string | undefined => {
  const value = ds.string(tag)?.replace(/\0/g, "").trim();
  return value ? value : undefined;
};

/** PatientAge "045Y", "006M", "010W", "003D"; some writers omit the unit (years) or pad with spaces. */
export function parseAge(text: string | undefined): number | undefined {
  const match = text
    ?.trim()
    .toUpperCase()
    .match(/^(\d{1,3})\s*([DWMY])?$/);
  if (!match) return undefined;
  const n = Number(match[1]);
  const perYear = { D: 365.25, W: 52.1775, M: 12, Y: 1 }[match[2] ?? "Y"] ?? 1;
  return Math.round((n / perYear) * 100) / 100;
}

export function mapSex(text: string | undefined): DicomMetadata["sex"] {
  const t = text?.trim().toUpperCase();
  if (t === "M" || t === "MALE") return "MALE";
  if (t === "F" || t === "FEMALE") return "FEMALE";
  if (t === "O" || t === "OTHER") return "OTHER";
  return undefined;
}

/** DICOM View Position (CS) and the covid-chest-xray data set's `view` column onto the platform's views. */
export function mapViewPosition(text: string | undefined): DicomMetadata["viewPosition"] {
  const t = text?.trim().toUpperCase().replace(/[_-]+/g, " ");
  if (!t) return undefined;
  if (t === "PA" || t === "POSTEROANTERIOR") return "PA";
  if (t === "AP SUPINE" || t === "APS") return "APS";
  if (t === "AP" || t.startsWith("AP ") || t === "ANTEROPOSTERIOR") return "AP";
  if (["L", "LL", "RL", "LAT", "LATERAL", "LLD", "RLD"].includes(t)) return "L";
  if (t === "AXIAL") return "AXIAL";
  if (t === "CORONAL") return "CORONAL";
  return undefined;
}

/** The DICOM attribute behind each field, for refusal messages. */
const attributeOf: Partial<Record<keyof DicomMetadata, string>> = {
  ageYears: "Patient's Age (0010,1010)",
  birthYear: "Patient's Birth Date (0010,0030)",
  numberOfFrames: "Number of Frames (0028,0008)",
};

export function readDicomMetadata(ds: DataSet): DicomMetadata {
  const acquisition =
    str(ds, "x0008002a") ?? str(ds, "x00080022") ?? str(ds, "x00080023") ?? str(ds, "x00080020");
  const acquisitionTime = str(ds, "x00080032") ?? str(ds, "x00080033") ?? str(ds, "x00080030");
  const acquired = parseDicomDate(acquisition, acquisitionTime);
  const study = parseDicomDate(str(ds, "x00080020"), str(ds, "x00080030"));
  const birth = parseDicomDate(str(ds, "x00100030"));
  const view = str(ds, "x00185101");
  const patientName = str(ds, "x00100010")?.replace(/\^+/g, " ").trim();
  const parsed = dicomMetadataSchema.safeParse({
    patientId: str(ds, "x00100020"),
    patientName: patientName || undefined,
    sex: mapSex(str(ds, "x00100040")),
    ageYears: parseAge(str(ds, "x00101010")),
    birthYear: birth?.date.getUTCFullYear(),
    studyInstanceUid: str(ds, "x0020000d"),
    seriesInstanceUid: str(ds, "x0020000e"),
    sopInstanceUid: str(ds, "x00080018"),
    sopClassUid: str(ds, "x00080016"),
    accessionNumber: str(ds, "x00080050"),
    studyDate: study?.date,
    studyDescription: str(ds, "x00081030"),
    acquiredAt: acquired?.date,
    acquiredAtText: acquisition && !acquired?.exact ? acquisition : undefined,
    modality: str(ds, "x00080060")?.toUpperCase(),
    viewPosition: mapViewPosition(view),
    viewPositionText: view && !mapViewPosition(view) ? view : undefined,
    bodyPart: str(ds, "x00180015"),
    institution: str(ds, "x00080080"),
    numberOfFrames: ds.intString("x00280008") ?? 1,
  });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = String(issue?.path[0] ?? "");
  const attribute = attributeOf[field as keyof DicomMetadata] ?? field;
  const written = field === "ageYears" ? ` "${str(ds, "x00101010") ?? ""}"` : "";
  throw new RejectedFileError(
    "CORRUPT",
    `the DICOM attribute ${attribute}${written} is not valid: ${issue?.message ?? "unreadable"}`,
  );
}
