// The downloads behind /api/exports/[file]: who may fetch each, its filter schema, and what streams it. The
// caller's account (active, of an allowed role) is re-read from the database and the filter checked before the
// headers go out, so a refusal or a bad filter is a plain-text 401/403/400/404, never a broken stream.
import { type Db } from "@cxr/db";
import { DomainError, requireActiveAccount, type Role } from "@cxr/domain";
import { type ObjectStorage } from "@cxr/storage";
import { type Session } from "next-auth";
import { auditLogCsv, auditLogFilterSchema } from "../history/audit-log";
import { cocoJson } from "./coco";
import { dicomExportInputSchema, segmentation, structuredReport, type DicomObject } from "./dicom";
import { modelCard, modelCardInputSchema, type ModelCardFormat } from "./model-card";
import { masksZip } from "./masks";
import { checkExportFilter, exportFilterSchema, labelsCsv, labelsJson, type ExportFilter } from "./labels";
import { errorResponse, single, singleBytes, streamedResponse } from "./stream";
import { parseQuery, type Download } from "./urls";

interface Spec {
  roles: readonly Role[];
  contentType: string;
  /** the filter from the address, checked (also against the database), then the stream */
  open: (
    db: Db,
    url: string,
    viewerId: string,
    storage: () => ObjectStorage,
  ) => Promise<AsyncGenerator<string | Uint8Array>>;
  /** the saved file's name when it is not the download's own (per image) */
  filename?: (url: string) => string;
}

const readers = ["ADMIN", "RADIOLOGIST"] as const;
const csv = "text/csv; charset=utf-8";
const json = "application/json";

const labels = (
  contentType: string,
  produce: (db: Db, filter: ExportFilter, viewerId: string) => AsyncGenerator<string | Uint8Array>,
): Spec => ({
  roles: readers,
  contentType,
  open: async (db, url, viewerId) => {
    const filter = parseQuery(exportFilterSchema, url);
    await checkExportFilter(db, filter);
    return produce(db, filter, viewerId);
  },
});

/** the card is built before the headers go out (an unknown version is a 404), then sent as one chunk */
const card = (format: ModelCardFormat, contentType: string): Spec => ({
  roles: readers,
  contentType,
  open: async (db, url, viewerId) => {
    const input = parseQuery(modelCardInputSchema, url);
    const text = await modelCard(db, input, format, { viewerId, baseUrl: new URL(url).origin });
    return single(text);
  },
});

/** a DICOM object is built whole before the headers go out (a refusal is a plain 400/404), then sent */
const dicom = (
  prefix: "sr" | "seg",
  build: (deps: { db: Db; storage: ObjectStorage }, input: { imageId: string }) => Promise<DicomObject>,
): Spec => ({
  roles: readers,
  contentType: "application/dicom",
  filename: (url) => `${prefix}-${parseQuery(dicomExportInputSchema, url).imageId}.dcm`,
  open: async (db, url, _viewerId, storage) => {
    const { bytes } = await build({ db, storage: storage() }, parseQuery(dicomExportInputSchema, url));
    return singleBytes(bytes);
  },
});

const downloads: Record<Download, Spec> = {
  "labels.csv": labels(csv, labelsCsv),
  "labels.json": labels(json, labelsJson),
  "coco.json": labels(json, cocoJson),
  "masks.zip": labels("application/zip", masksZip),
  "model-card.md": card("md", "text/markdown; charset=utf-8"),
  "model-card.html": card("html", "text/html; charset=utf-8"),
  "dicom-sr.dcm": dicom("sr", structuredReport),
  "dicom-seg.dcm": dicom("seg", segmentation),
  "audit-log.csv": {
    roles: ["ADMIN"],
    contentType: csv,
    open: async (db, url) => auditLogCsv(db, parseQuery(auditLogFilterSchema, url)),
  },
};

const isDownload = (file: string): file is Download => Object.hasOwn(downloads, file);

export async function exportDownload(
  file: string,
  request: Request,
  deps: { db: Db; session: Session | null; storage?: ObjectStorage },
): Promise<Response> {
  try {
    const account = await requireActiveAccount(deps.db, deps.session?.user.id);
    if (!isDownload(file)) throw new DomainError("NOT_FOUND", `There is no export "${file}".`);
    const spec = downloads[file];
    if (!spec.roles.includes(account.role))
      throw new DomainError("FORBIDDEN", "Your role does not allow this export.");
    const storage = () => {
      if (!deps.storage) throw new Error(`the ${file} download needs the image storage`);
      return deps.storage;
    };
    const chunks = await spec.open(deps.db, request.url, account.id, storage);
    return streamedResponse(chunks, spec.filename?.(request.url) ?? file, spec.contentType);
  } catch (error) {
    return errorResponse(error);
  }
}
