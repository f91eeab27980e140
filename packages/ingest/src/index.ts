export type { IngestContext } from "./context";
export { queueForPrediction, pendingImages, type OnImagesQueued } from "./queue";
export {
  storeImage,
  derivedUid,
  type StoreRequest,
  type StoreOutcome,
  type ClinicalMetadata,
} from "./store-image";
export { loadLabelSet, findingToClassKey, UnknownLabelSetError, type LabelSetClasses } from "./labels";
export {
  startOrResumeJob,
  finishJob,
  jobReport,
  jobProgress,
  jobFingerprint,
  markInterruptedJobs,
  JobAlreadyRunningError,
  type JobSpec,
  type ItemResult,
  type JobProgress,
  type JobReport,
} from "./jobs";
export { runJob, type WorkItem, type RunOptions, type RunResult } from "./runner";
export { importDataset, importRequestSchema, datasetFormats, type ImportRequest } from "./import-dataset";
export { DatasetLayoutError } from "./importers/layout";
export { planDicomPaths } from "./importers/folder";
export { dicomRequest } from "./dicom-request";
