// A read of a DICOM image as a TID 1500 Structured Report and its ROIs as a Segmentation (@cxr/dicom-export),
// built from the stored original so the objects copy its patient and study and reference its instance; and
// both pushed to the configured PACS over STOW-RS. Only images that came from DICOM (SOP and series instance
// UIDs, a DICOM original in storage) can be exported: others are refused before anything is built.
import { type Db } from "@cxr/db";
import {
  buildSegmentation,
  buildStructuredReport,
  DicomExportError,
  newUid,
  readSource,
  type ExportRegion,
  type LabelClassCode,
  type SourceInstance,
} from "@cxr/dicom-export";
import { DomainError, idSchema, storedRoiSchema, type Role } from "@cxr/domain";
import { DicomwebClient, DicomwebError } from "@cxr/ingest/dicomweb-client";
import { redactUrl } from "@cxr/ingest/redact-url";
import { ObjectNotFoundError, type ObjectStorage } from "@cxr/storage";
import { z } from "zod";

export const dicomExportInputSchema = z.object({
  imageId: idSchema,
  /** the read to export; default: the image's latest reader's read that no correction replaced */
  readId: idSchema.optional(),
});
export type DicomExportInput = z.infer<typeof dicomExportInputSchema>;

interface Deps {
  db: Db;
  storage: ObjectStorage;
}

async function sourceOf(
  deps: Deps,
  imageId: string,
): Promise<{ source: SourceInstance; frameNumber: number }> {
  const image = await deps.db.image.findUnique({
    where: { id: imageId },
    select: { sopInstanceUid: true, seriesInstanceUid: true, originalSha256: true, frameNumber: true },
  });
  if (!image) throw new DomainError("NOT_FOUND", "This image does not exist.");
  if (!image.sopInstanceUid || !image.seriesInstanceUid)
    throw new DomainError(
      "BAD_REQUEST",
      "This image did not come from DICOM (it has no SOP instance UID): only DICOM images can be exported as SR or SEG.",
    );
  let bytes: Buffer;
  try {
    bytes = await deps.storage.get(image.originalSha256);
  } catch (error) {
    if (error instanceof ObjectNotFoundError)
      throw new DomainError("NOT_FOUND", "The image's original DICOM file is not in storage.");
    throw error;
  }
  try {
    // frameNumber is 0-based in the database, 1-based in DICOM references
    return { source: readSource(bytes), frameNumber: image.frameNumber + 1 };
  } catch (error) {
    if (error instanceof DicomExportError)
      throw new DomainError("BAD_REQUEST", `This image cannot be exported as DICOM: ${error.message}.`);
    throw error;
  }
}

const code = (c: { key: string; name: string }): LabelClassCode => ({ key: c.key, name: c.name });

async function readOf(db: Db, input: DicomExportInput) {
  const read = await db.read.findFirst({
    where: input.readId
      ? { id: input.readId, imageId: input.imageId }
      : { imageId: input.imageId, source: "READER", supersededBy: null },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      createdAt: true,
      reader: { select: { name: true } },
      labelClass: { select: { key: true, name: true } },
      labelSet: { select: { name: true } },
      annotations: {
        where: { deletedAt: null },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: {
          shape: true,
          points: true,
          strokeWidth: true,
          labelClass: { select: { key: true, name: true } },
        },
      },
    },
  });
  if (!read)
    throw new DomainError(
      "NOT_FOUND",
      input.readId ? "This read is not one of the image's." : "This image has no reader's read to export.",
    );
  const regions: ExportRegion[] = read.annotations.flatMap((a) => {
    const roi = storedRoiSchema.safeParse({ shape: a.shape, points: a.points, strokeWidth: a.strokeWidth });
    return roi.success ? [{ ...roi.data, labelClass: a.labelClass ? code(a.labelClass) : null }] : [];
  });
  return {
    id: read.id,
    at: read.createdAt,
    reader: { name: read.reader?.name ?? "Unknown reader" },
    finding: code(read.labelClass),
    labelSetName: read.labelSet.name,
    regions,
  };
}

export interface DicomObject {
  bytes: Uint8Array;
  filename: string;
  sopInstanceUid: string;
}

export async function structuredReport(deps: Deps, raw: DicomExportInput): Promise<DicomObject> {
  const input = dicomExportInputSchema.parse(raw);
  const { source, frameNumber } = await sourceOf(deps, input.imageId);
  const read = await readOf(deps.db, input);
  const sopInstanceUid = newUid();
  const bytes = await buildStructuredReport({
    source,
    frameNumber,
    labelSetName: read.labelSetName,
    read,
    sopInstanceUid,
  });
  return { bytes, filename: `sr-${input.imageId}.dcm`, sopInstanceUid };
}

export async function segmentation(deps: Deps, raw: DicomExportInput): Promise<DicomObject> {
  const input = dicomExportInputSchema.parse(raw);
  const { source, frameNumber } = await sourceOf(deps, input.imageId);
  const read = await readOf(deps.db, input);
  if (read.regions.length === 0)
    throw new DomainError("BAD_REQUEST", "This read has no regions of interest to export as a segmentation.");
  const sopInstanceUid = newUid();
  try {
    const bytes = await buildSegmentation({
      sopInstanceUid,
      source,
      frameNumber,
      labelSetName: read.labelSetName,
      // a region without its own class is the read's finding
      regions: read.regions.map((r) => ({ ...r, labelClass: r.labelClass ?? read.finding })),
      author: read.reader,
      at: read.at,
    });
    return { bytes, filename: `seg-${input.imageId}.dcm`, sopInstanceUid };
  } catch (error) {
    if (error instanceof DicomExportError)
      throw new DomainError("BAD_REQUEST", `No segmentation: ${error.message}.`);
    throw error;
  }
}

export interface PacsPushResult {
  pacs: string;
  stored: { kind: "SR" | "SEG"; sopInstanceUid: string }[];
  /** the SEG is left out (with the reason) when the read has no regions */
  skipped: string[];
}

/**
 * The read's SR (and SEG, when it has regions) stored in the PACS with one STOW-RS request. The PACS must list
 * every instance as stored, or the push is an error naming what it refused; recorded in the audit log.
 */
export async function pushToPacs(
  lazy: { db: Db; storage: () => ObjectStorage },
  raw: DicomExportInput,
  pacsUrl: string | undefined,
  actor: { id: string; role: Role },
): Promise<PacsPushResult> {
  if (!pacsUrl)
    throw new DomainError(
      "PRECONDITION_FAILED",
      "No PACS is configured: set PACS_DICOMWEB_URL to its DICOMweb root.",
    );
  const input = dicomExportInputSchema.parse(raw);
  const deps = { db: lazy.db, storage: lazy.storage() };
  const objects: ({ kind: "SR" | "SEG" } & DicomObject)[] = [
    { kind: "SR", ...(await structuredReport(deps, input)) },
  ];
  const skipped: string[] = [];
  try {
    objects.push({ kind: "SEG", ...(await segmentation(deps, input)) });
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== "BAD_REQUEST") throw error;
    skipped.push(`SEG: ${error.message}`);
  }
  const pacs = redactUrl(pacsUrl);
  let answer;
  try {
    answer = await new DicomwebClient(pacsUrl).store(objects.map((o) => o.bytes));
  } catch (error) {
    if (error instanceof DicomwebError || error instanceof z.ZodError)
      throw new DomainError("BAD_REQUEST", `The PACS did not store the objects: ${error.message}`);
    throw error;
  }
  const referenced = new Set(
    (answer["00081199"]?.Value ?? []).map((item) => {
      const uid = (item as Record<string, { Value?: unknown[] }>)["00081155"]?.Value?.[0];
      return typeof uid === "string" ? uid : "";
    }),
  );
  const stored = objects.map((o) => ({ kind: o.kind, sopInstanceUid: o.sopInstanceUid }));
  const missing = stored.filter((s) => !referenced.has(s.sopInstanceUid));
  if (missing.length > 0)
    throw new DomainError(
      "BAD_REQUEST",
      `The PACS at ${pacs} refused ${missing.map((m) => m.kind).join(" and ")}${answer["00081198"] ? " (see its failed SOP sequence)" : ""}.`,
    );
  await deps.db.auditEvent.create({
    data: {
      actorId: actor.id,
      actorRole: actor.role,
      action: "image.dicom_pushed",
      entityType: "Image",
      entityId: input.imageId,
      after: { pacs, stored, skipped },
    },
  });
  return { pacs, stored, skipped };
}
