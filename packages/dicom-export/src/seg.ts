// An image's ROIs as a binary DICOM Segmentation: one segment (and one frame) per class, the class's regions
// rasterised at the source's size (brush strokes included), each frame derived from the source instance. When
// the source has a frame of reference, the SEG shares it, with the source's plane position, orientation and
// pixel spacing, so a viewer overlays it in patient space as well as by reference.
import { rasterizeRois } from "@cxr/imaging";
import { classCode, codeItem, codingSchemes, dcm, sct, type LabelClassCode } from "./coding";
import type { ExportRegion } from "./regions";
import {
  dicomDateTime,
  DicomExportError,
  equipment,
  newSeriesHeader,
  newUid,
  personName,
  writePart10,
  type Author,
  type SourceInstance,
  type NaturalDataset,
} from "./source";

export const SEGMENTATION_STORAGE = "1.2.840.10008.5.1.4.1.1.66.4";

export interface SegmentationInput {
  source: SourceInstance;
  /** 1-based frame of a multi-frame source the regions were drawn on */
  frameNumber: number;
  labelSetName: string;
  /** every region with its class (the caller gives class-less regions the read's finding) */
  regions: (ExportRegion & { labelClass: LabelClassCode })[];
  author: Author;
  at: Date;
  seriesInstanceUid?: string;
  sopInstanceUid?: string;
}

/** Row-major 0/255 masks packed as DICOM's 1-bit pixels: frames back to back, the first pixel in the low bit. */
export function packBits(masks: Uint8Array[]): Uint8Array {
  const total = masks.reduce((s, m) => s + m.length, 0);
  const out = new Uint8Array(Math.ceil(total / 8) + (Math.ceil(total / 8) % 2));
  let i = 0;
  for (const mask of masks)
    for (const v of mask) {
      if (v > 127) out[i >> 3]! |= 1 << (i & 7);
      i++;
    }
  return out;
}

const ATTR = { ReferencedSegmentNumber: 0x0062000b, SegmentIdentificationSequence: 0x0062000a };

export async function buildSegmentation(input: SegmentationInput): Promise<Uint8Array> {
  const { source } = input;
  const byClass = new Map<string, { labelClass: LabelClassCode; regions: ExportRegion[] }>();
  for (const region of input.regions) {
    const entry = byClass.get(region.labelClass.key) ?? { labelClass: region.labelClass, regions: [] };
    entry.regions.push(region);
    byClass.set(region.labelClass.key, entry);
  }
  const segments: { labelClass: LabelClassCode; mask: Uint8Array }[] = [];
  for (const { labelClass, regions } of byClass.values()) {
    const mask = await rasterizeRois(regions, source.columns, source.rows);
    if (mask.data.some((v) => v > 127)) segments.push({ labelClass, mask: mask.data });
  }
  if (segments.length === 0)
    throw new DicomExportError("the image has no regions with an area to segment (points only or none)");

  const { date, time } = dicomDateTime(input.at);
  const sourceRef = {
    ReferencedSOPClassUID: source.sopClassUid,
    ReferencedSOPInstanceUID: source.sopInstanceUid,
    ...(source.numberOfFrames > 1 ? { ReferencedFrameNumber: input.frameNumber } : {}),
  };
  const d = source.dataset;
  const withFrame = source.frameOfReferenceUid !== null;
  const position = withFrame ? sourcePlane(d, input.frameNumber) : null;
  const dimensionOrganizationUid = newUid();

  const dataset: NaturalDataset = {
    ...newSeriesHeader(source, {
      sopClassUid: SEGMENTATION_STORAGE,
      modality: "SEG",
      seriesNumber: 902,
      description: "CXR Review ROIs",
      sopInstanceUid: input.sopInstanceUid,
      seriesInstanceUid: input.seriesInstanceUid,
    }),
    ...(withFrame ? { FrameOfReferenceUID: source.frameOfReferenceUid, PositionReferenceIndicator: "" } : {}),
    ...equipment,
    ImageType: ["DERIVED", "PRIMARY"],
    InstanceNumber: 1,
    ContentLabel: "ROIS",
    ContentDescription: "Readers' regions of interest",
    ContentCreatorName: [{ Alphabetic: personName(input.author.name) }],
    ContentDate: date,
    ContentTime: time,
    SamplesPerPixel: 1,
    PhotometricInterpretation: "MONOCHROME2",
    Rows: source.rows,
    Columns: source.columns,
    BitsAllocated: 1,
    BitsStored: 1,
    HighBit: 0,
    PixelRepresentation: 0,
    LossyImageCompression: "00",
    SegmentationType: "BINARY",
    NumberOfFrames: segments.length,
    SegmentSequence: segments.map(({ labelClass }, i) => ({
      SegmentNumber: i + 1,
      SegmentLabel: labelClass.name.slice(0, 64),
      SegmentAlgorithmType: "MANUAL",
      SegmentedPropertyCategoryCodeSequence: [codeItem(sct("49755003", "Morphologically Altered Structure"))],
      SegmentedPropertyTypeCodeSequence: [codeItem(classCode(labelClass))],
    })),
    DimensionOrganizationSequence: [{ DimensionOrganizationUID: dimensionOrganizationUid }],
    DimensionIndexSequence: [
      {
        DimensionOrganizationUID: dimensionOrganizationUid,
        DimensionIndexPointer: ATTR.ReferencedSegmentNumber,
        FunctionalGroupPointer: ATTR.SegmentIdentificationSequence,
        DimensionDescriptionLabel: "Segment",
      },
    ],
    SharedFunctionalGroupsSequence: [
      {
        DerivationImageSequence: [
          {
            SourceImageSequence: [
              {
                ...sourceRef,
                PurposeOfReferenceCodeSequence: [
                  codeItem(dcm("121322", "Source image for image processing operation")),
                ],
              },
            ],
            DerivationCodeSequence: [codeItem(dcm("113076", "Segmentation"))],
          },
        ],
        ...(position
          ? {
              PixelMeasuresSequence: [{ PixelSpacing: position.spacing, SliceThickness: position.thickness }],
              PlaneOrientationSequence: [{ ImageOrientationPatient: position.orientation }],
            }
          : {}),
      },
    ],
    PerFrameFunctionalGroupsSequence: segments.map((_, i) => ({
      FrameContentSequence: [{ DimensionIndexValues: [i + 1] }],
      SegmentIdentificationSequence: [{ ReferencedSegmentNumber: i + 1 }],
      ...(position ? { PlanePositionSequence: [{ ImagePositionPatient: position.position }] } : {}),
    })),
    ReferencedSeriesSequence: [
      {
        SeriesInstanceUID: source.seriesInstanceUid,
        ReferencedInstanceSequence: [
          { ReferencedSOPClassUID: source.sopClassUid, ReferencedSOPInstanceUID: source.sopInstanceUid },
        ],
      },
    ],
    CodingSchemeIdentificationSequence: codingSchemes(input.labelSetName),
    PixelData: [packBits(segments.map((s) => s.mask)).buffer],
    _vrMap: { PixelData: "OB" },
  };
  return writePart10(dataset);
}

const numbers = (v: unknown, n: number): number[] | null =>
  Array.isArray(v) && v.length === n && v.every((x) => Number.isFinite(Number(x))) ? v.map(Number) : null;

/** The source's plane (classic single-frame attributes, or an enhanced object's functional groups). */
function sourcePlane(d: NaturalDataset, frameNumber: number) {
  const shared = firstItem(d.SharedFunctionalGroupsSequence);
  const perFrame = Array.isArray(d.PerFrameFunctionalGroupsSequence)
    ? (d.PerFrameFunctionalGroupsSequence[frameNumber - 1] as NaturalDataset | undefined)
    : undefined;
  const pick = (key: string, group: string) =>
    d[key] ?? firstItem(perFrame?.[group])?.[key] ?? firstItem(shared?.[group])?.[key];
  return {
    spacing: numbers(pick("PixelSpacing", "PixelMeasuresSequence"), 2) ?? [1, 1],
    thickness: Number(pick("SliceThickness", "PixelMeasuresSequence") ?? 1) || 1,
    orientation: numbers(pick("ImageOrientationPatient", "PlaneOrientationSequence"), 6) ?? [
      1, 0, 0, 0, 1, 0,
    ],
    position: numbers(pick("ImagePositionPatient", "PlanePositionSequence"), 3) ?? [0, 0, 0],
  };
}

const firstItem = (v: unknown): NaturalDataset | undefined =>
  Array.isArray(v)
    ? (v[0] as NaturalDataset | undefined)
    : v && typeof v === "object"
      ? (v as NaturalDataset)
      : undefined;
