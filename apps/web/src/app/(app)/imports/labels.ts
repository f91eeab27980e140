import { type StatusTone } from "@cxr/ui";

// Words for the import jobs' codes (the database's enums), kept apart from the view so they are tested.
export const formatLabels: Record<string, string> = {
  cohen: "covid-chest-xray (Cohen)",
  kermany: "chest_xray (Kermany)",
  "radiography-db": "COVID-19 Radiography Database",
  folder: "Folder",
  dicom: "DICOM files",
  dicomweb: "DICOMweb pull",
  upload: "Browser upload",
};

export const reasonLabels: Record<string, string> = {
  FILTERED: "Left out by the import's filters",
  MISSING_FILE: "Missing file",
  UNREADABLE_IMAGE: "Unreadable image",
  UNKNOWN_FINDING: "Unknown finding",
  UNSUPPORTED: "Not supported",
  INVALID_METADATA: "Invalid metadata",
  TOO_LARGE: "Too large",
  ERROR: "Error",
};

export function reasonLabel(reason: string | null): string {
  return reason ? (reasonLabels[reason] ?? reason) : "No reason recorded";
}

export const jobStatus: Record<string, { text: string; tone: StatusTone }> = {
  RUNNING: { text: "Running", tone: "warn" },
  SUCCEEDED: { text: "Finished", tone: "ok" },
  FAILED: { text: "Failed", tone: "error" },
  INTERRUPTED: { text: "Interrupted", tone: "error" },
};
