// The parts of @cxr/ingest the web app uses, through subpath exports: the package index would pull every
// data-set importer (exceljs, csv-parse, file-system walking that makes Next trace the whole repository)
// into the server bundle.
export { ingestUploadedFiles, type UploadedFile, type UploadResult } from "@cxr/ingest/upload";
export { jobProgress, jobReport, markInterruptedJobs } from "@cxr/ingest/jobs";
export { redactUrl } from "@cxr/ingest/redact-url";
