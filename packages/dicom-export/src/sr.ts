// A read as a DICOM Comprehensive SR following TID 1500 (Measurement Report): the reader as the person
// observer, the source image in the image library, the read's label as the report's finding (a qualitative
// evaluation), and each ROI as a planar region (TID 1410) in its own measurement group, with its class as the
// group's finding and its SCOORD selected from the source instance.
import { classCode, codeItem, codingSchemes, dcm, sct, type Code, type LabelClassCode } from "./coding";
import { graphicsOf, type ExportRegion } from "./regions";
import {
  dicomDateTime,
  equipment,
  newSeriesHeader,
  newUid,
  personName,
  writePart10,
  type Author,
  type SourceInstance,
  type NaturalDataset,
} from "./source";

export const COMPREHENSIVE_SR = "1.2.840.10008.5.1.4.1.1.88.33";

export interface ReadForReport {
  /** the read's id, kept as the report's content label trail (Tracking Identifier prefix) */
  id: string;
  reader: Author;
  finding: LabelClassCode;
  at: Date;
  regions: ExportRegion[];
}

export interface ReportInput {
  source: SourceInstance;
  /** 1-based frame of a multi-frame source the read is about (ignored for single-frame sources) */
  frameNumber: number;
  labelSetName: string;
  read: ReadForReport;
  /** new UIDs unless given (tests) */
  seriesInstanceUid?: string;
  sopInstanceUid?: string;
}

const concept = (code: Code) => ({ ConceptNameCodeSequence: [codeItem(code)] });

const codeContent = (rel: string, name: Code, value: Code): NaturalDataset => ({
  RelationshipType: rel,
  ValueType: "CODE",
  ...concept(name),
  ConceptCodeSequence: [codeItem(value)],
});

const container = (rel: string, name: Code, items: NaturalDataset[]): NaturalDataset => ({
  RelationshipType: rel,
  ValueType: "CONTAINER",
  ...concept(name),
  ContinuityOfContent: "SEPARATE",
  ContentSequence: items,
});

export async function buildStructuredReport(input: ReportInput): Promise<Uint8Array> {
  const { source, read } = input;
  const { date, time } = dicomDateTime(read.at);
  const now = dicomDateTime(new Date());
  const imageRef: NaturalDataset = {
    ReferencedSOPClassUID: source.sopClassUid,
    ReferencedSOPInstanceUID: source.sopInstanceUid,
    ...(source.numberOfFrames > 1 ? { ReferencedFrameNumber: input.frameNumber } : {}),
  };
  const finding = dcm("121071", "Finding");

  const groups: NaturalDataset[] = [];
  let n = 0;
  for (const region of read.regions) {
    for (const graphic of await graphicsOf(region, source.columns, source.rows)) {
      n++;
      groups.push(
        container("CONTAINS", dcm("125007", "Measurement Group"), [
          {
            RelationshipType: "HAS OBS CONTEXT",
            ValueType: "TEXT",
            ...concept(dcm("112039", "Tracking Identifier")),
            TextValue: `ROI ${n} (${region.shape.toLowerCase()}) of read ${read.id}`,
          },
          {
            RelationshipType: "HAS OBS CONTEXT",
            ValueType: "UIDREF",
            ...concept(dcm("112040", "Tracking Unique Identifier")),
            UID: newUid(),
          },
          codeContent("HAS CONCEPT MOD", finding, classCode(region.labelClass ?? read.finding)),
          {
            RelationshipType: "CONTAINS",
            ValueType: "SCOORD",
            ...concept(dcm("111030", "Image Region")),
            GraphicType: graphic.type,
            GraphicData: graphic.data.map((v) => Math.round(v * 100) / 100),
            ContentSequence: [
              { RelationshipType: "SELECTED FROM", ValueType: "IMAGE", ReferencedSOPSequence: [imageRef] },
            ],
          },
        ]),
      );
    }
  }

  const content: NaturalDataset[] = [
    codeContent("HAS CONCEPT MOD", dcm("121049", "Language of Content Item and Descendants"), {
      value: "en-US",
      scheme: "RFC5646",
      meaning: "English (United States)",
    }),
    codeContent("HAS OBS CONTEXT", dcm("121005", "Observer Type"), dcm("121006", "Person")),
    {
      RelationshipType: "HAS OBS CONTEXT",
      ValueType: "PNAME",
      ...concept(dcm("121008", "Person Observer Name")),
      PersonName: [{ Alphabetic: personName(read.reader.name) }],
    },
    codeContent(
      "HAS CONCEPT MOD",
      dcm("121058", "Procedure reported"),
      sct("399208008", "Plain chest X-ray"),
    ),
    container("CONTAINS", dcm("111028", "Image Library"), [
      container("CONTAINS", dcm("126200", "Image Library Group"), [
        { RelationshipType: "CONTAINS", ValueType: "IMAGE", ReferencedSOPSequence: [imageRef] },
      ]),
    ]),
    container("CONTAINS", dcm("126010", "Imaging Measurements"), groups),
    container("CONTAINS", { value: "C0034375", scheme: "UMLS", meaning: "Qualitative Evaluations" }, [
      codeContent("CONTAINS", finding, classCode(read.finding)),
    ]),
  ];

  const dataset: NaturalDataset = {
    ...newSeriesHeader(source, {
      sopClassUid: COMPREHENSIVE_SR,
      modality: "SR",
      seriesNumber: 901,
      description: "CXR Review reads",
      sopInstanceUid: input.sopInstanceUid,
      seriesInstanceUid: input.seriesInstanceUid,
    }),
    ReferencedPerformedProcedureStepSequence: [],
    Manufacturer: equipment.Manufacturer,
    InstanceNumber: 1,
    CompletionFlag: "COMPLETE",
    VerificationFlag: "UNVERIFIED",
    ContentDate: date,
    ContentTime: time,
    InstanceCreationDate: now.date,
    InstanceCreationTime: now.time,
    PerformedProcedureCodeSequence: [],
    CurrentRequestedProcedureEvidenceSequence: [
      {
        StudyInstanceUID: source.studyInstanceUid,
        ReferencedSeriesSequence: [
          {
            SeriesInstanceUID: source.seriesInstanceUid,
            ReferencedSOPSequence: [
              { ReferencedSOPClassUID: source.sopClassUid, ReferencedSOPInstanceUID: source.sopInstanceUid },
            ],
          },
        ],
      },
    ],
    CodingSchemeIdentificationSequence: codingSchemes(input.labelSetName),
    ValueType: "CONTAINER",
    ...concept(dcm("126000", "Imaging Measurement Report")),
    ContinuityOfContent: "SEPARATE",
    ContentTemplateSequence: [{ MappingResource: "DCMR", TemplateIdentifier: "1500" }],
    ContentSequence: content,
  };
  return writePart10(dataset);
}
