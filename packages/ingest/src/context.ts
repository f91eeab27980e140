import type { Db } from "@cxr/db";
import type { DeidentifyOptions, Limits } from "@cxr/imaging";
import type { ObjectStorage } from "@cxr/storage";
import type { OnImagesQueued } from "./queue";

/** What every ingest path needs: where rows go, where bytes go, and how strict to be. */
export interface IngestContext {
  db: Db;
  storage: ObjectStorage;
  limits?: Limits;
  /** de-identify DICOM before anything is stored */
  deidentify?: DeidentifyOptions;
  onQueued?: OnImagesQueued;
  /** which frames of multi-frame DICOM become images: all (default) or one, 0-based */
  frame?: number | "all";
}
