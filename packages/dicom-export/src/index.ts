// @cxr/dicom-export: readers' work as DICOM objects that a PACS stores beside the source image.
export { buildStructuredReport, COMPREHENSIVE_SR, type ReadForReport, type ReportInput } from "./sr";
export { buildSegmentation, packBits, SEGMENTATION_STORAGE, type SegmentationInput } from "./seg";
export { readSource, DicomExportError, newUid, personName, type Author, type SourceInstance } from "./source";
export { LOCAL_SCHEME, type LabelClassCode } from "./coding";
export { graphicsOf, type ExportRegion, type Graphic } from "./regions";
