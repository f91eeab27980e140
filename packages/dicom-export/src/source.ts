// The source instance an export refers to: read once with dcmjs, and the attributes every derived object copies
// from it (patient and study, so a PACS files the SR or SEG beside the image) or points back to.
// dcmjs ships no types: the ambient module declaration must reach every program that compiles this file
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./dcmjs-module.d.ts" />
import dcmjs, { type NaturalDataset } from "dcmjs";
import { z } from "zod";

export type { NaturalDataset };

export class DicomExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DicomExportError";
  }
}

export interface SourceInstance {
  sopClassUid: string;
  sopInstanceUid: string;
  seriesInstanceUid: string;
  studyInstanceUid: string;
  rows: number;
  columns: number;
  numberOfFrames: number;
  frameOfReferenceUid: string | null;
  /** the source's own attributes, for the modules copied as they are */
  dataset: NaturalDataset;
}

const uid = z
  .string()
  .regex(/^[0-9]+(\.[0-9]+)*$/)
  .max(64);
const required = z.object({
  SOPClassUID: uid,
  SOPInstanceUID: uid,
  SeriesInstanceUID: uid,
  StudyInstanceUID: uid,
  Rows: z.number().int().positive(),
  Columns: z.number().int().positive(),
});

/** Part 10 bytes of the stored original; a file that is not DICOM, or lacks the UIDs, is refused. */
export function readSource(bytes: Uint8Array): SourceInstance {
  let dataset: NaturalDataset;
  try {
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    dataset = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dcmjs.data.DicomMessage.readFile(buffer).dict);
  } catch (error) {
    throw new DicomExportError(
      `the stored original is not a readable DICOM file (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const parsed = required.safeParse(dataset);
  if (!parsed.success)
    throw new DicomExportError(
      `the stored original lacks ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`,
    );
  const p = parsed.data;
  const frames = Number(dataset.NumberOfFrames ?? 1);
  return {
    sopClassUid: p.SOPClassUID,
    sopInstanceUid: p.SOPInstanceUID,
    seriesInstanceUid: p.SeriesInstanceUID,
    studyInstanceUid: p.StudyInstanceUID,
    rows: p.Rows,
    columns: p.Columns,
    numberOfFrames: Number.isInteger(frames) && frames > 0 ? frames : 1,
    frameOfReferenceUid: uid.safeParse(dataset.FrameOfReferenceUID).success
      ? (dataset.FrameOfReferenceUID as string)
      : null,
    dataset,
  };
}

// Patient and General Study modules (type 2 attributes present, possibly empty): the derived object joins the
// source's patient and study.
const patientStudy = [
  "PatientName",
  "PatientID",
  "IssuerOfPatientID",
  "PatientBirthDate",
  "PatientSex",
  "StudyInstanceUID",
  "StudyDate",
  "StudyTime",
  "ReferringPhysicianName",
  "StudyID",
  "AccessionNumber",
  "StudyDescription",
] as const;
const type2 = new Set([
  "PatientName",
  "PatientID",
  "PatientBirthDate",
  "PatientSex",
  "StudyDate",
  "StudyTime",
  "ReferringPhysicianName",
  "StudyID",
  "AccessionNumber",
]);

export function copiedPatientStudy(source: SourceInstance): NaturalDataset {
  const out: NaturalDataset = {};
  for (const key of patientStudy) {
    const value = source.dataset[key];
    if (value !== undefined && value !== null && value !== "") out[key] = value;
    else if (type2.has(key)) out[key] = "";
  }
  return out;
}

export interface Author {
  /** the reader's name, written as a DICOM person name (family^given when it has two parts) */
  name: string;
}

/** "Jane Doe" -> "Doe^Jane"; a single word stays as it is. Carets and backslashes are DICOM delimiters. */
export function personName(name: string): string {
  const clean =
    name
      .replace(/[\\^=]/g, " ")
      .trim()
      .slice(0, 60) || "Unknown";
  const parts = clean.split(/\s+/);
  if (parts.length < 2) return clean;
  const family = parts.pop()!;
  return `${family}^${parts.join(" ")}`;
}

export function dicomDateTime(at: Date): { date: string; time: string } {
  const iso = at.toISOString();
  return { date: iso.slice(0, 10).replace(/-/g, ""), time: iso.slice(11, 19).replace(/:/g, "") };
}

export const newUid = () => dcmjs.data.DicomMetaDictionary.uid();

/** Part 10 bytes of a naturalised dataset, explicit VR little endian. */
export function writePart10(dataset: NaturalDataset): Uint8Array {
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: dataset.SOPClassUID,
    MediaStorageSOPInstanceUID: dataset.SOPInstanceUID,
    TransferSyntaxUID: "1.2.840.10008.1.2.1",
    ImplementationClassUID: implementationUid,
    ImplementationVersionName: "CXR-REVIEW-1",
  };
  const dict = new dcmjs.data.DicomDict(dcmjs.data.DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(dataset);
  return new Uint8Array(dict.write());
}

// A UID under the 2.25 (UUID-derived) root, fixed for this application
const implementationUid = "2.25.178962735028745109338727519637471924137";

export const equipment = {
  Manufacturer: "CXR Review",
  ManufacturerModelName: "CXR Review",
  DeviceSerialNumber: "1",
  SoftwareVersions: "0.1.0",
};

/** The first attributes of every derived object: SOP common, the source's patient and study, a new series. */
export function newSeriesHeader(
  source: SourceInstance,
  o: {
    sopClassUid: string;
    modality: "SR" | "SEG";
    seriesNumber: number;
    description: string;
    sopInstanceUid?: string;
    seriesInstanceUid?: string;
  },
): NaturalDataset {
  return {
    SpecificCharacterSet: "ISO_IR 192",
    SOPClassUID: o.sopClassUid,
    SOPInstanceUID: o.sopInstanceUid ?? newUid(),
    ...copiedPatientStudy(source),
    Modality: o.modality,
    SeriesInstanceUID: o.seriesInstanceUid ?? newUid(),
    SeriesNumber: o.seriesNumber,
    SeriesDescription: o.description,
  };
}
