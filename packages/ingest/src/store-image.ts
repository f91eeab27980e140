// The one place where prepared images become stored objects and Patient / Study / Image rows. Every ingest path
// (data sets, DICOM files, DICOMweb, uploads) ends here, so they all dedupe, store and queue the same way.
import { createHash } from "node:crypto";
import {
  recordAudit,
  type ImageSource,
  type Modality,
  type Prisma,
  type Sex,
  type ViewPosition,
} from "@cxr/db";
import { lockKey, withAdvisoryLock, type StoredRoi } from "@cxr/domain";
import { RejectedFileError, type ImageToStore, type PreparedFrame } from "@cxr/imaging";
import { type PutResult, sha256Hex } from "@cxr/storage";
import type { IngestContext } from "./context";
import { queueForPrediction } from "./queue";

export type ClinicalMetadata = Partial<
  Pick<
    Prisma.ImageUncheckedCreateInput,
    | "offsetDays"
    | "ageYears"
    | "finding"
    | "survival"
    | "intubated"
    | "intubationPresent"
    | "wentIcu"
    | "inIcu"
    | "neededSupplementalO2"
    | "extubated"
    | "temperatureC"
    | "po2Saturation"
    | "leukocyteCount"
    | "neutrophilCount"
    | "lymphocyteCount"
    | "acquiredAt"
    | "acquiredAtText"
    | "hospital"
    | "location"
    | "folder"
    | "filename"
    | "doi"
    | "url"
    | "license"
    | "clinicalNotes"
    | "rtPcrPositive"
    | "clinicalExtra"
  >
>;

export interface StoreRequest {
  /** its frames at hand (an array) or decoded one at a time (prepareImageFrames): each is stored as it comes */
  prepared: ImageToStore;
  patient: { source: ImageSource; externalId: string; sex?: Sex; birthYear?: number; pseudonym?: string };
  study: {
    studyInstanceUid?: string;
    /** when the source has no Study Instance UID: a stable key from which one is derived (same key, same study) */
    key?: string;
    accessionNumber?: string;
    studyDate?: Date;
    description?: string;
    institution?: string;
  };
  image: {
    source: ImageSource;
    sourceRef?: string;
    modality: Modality;
    viewPosition?: ViewPosition;
    bodyPart?: string;
    sopInstanceUid?: string;
    seriesInstanceUid?: string;
    clinical?: ClinicalMetadata;
  };
  /**
   * the label the source came with, recorded as an IMPORT read, with the regions the source marked for it (a data
   * set's masks or boxes) as that read's annotations, without an author
   */
  label?: { labelSetId: string; classId: string; rois?: readonly StoredRoi[] };
}

export interface StoreOutcome {
  status: "IMPORTED" | "DUPLICATE";
  imageIds: string[];
}

/** Runs inside the transaction that creates the rows (an import job records its item there: all or nothing). */
export type InTransaction = (tx: Prisma.TransactionClient, outcome: StoreOutcome) => Promise<void>;

/** A DICOM UID under the 2.25 root derived from a key, for studies of data sets that have none. */
export function derivedUid(key: string): string {
  return `2.25.${BigInt(`0x${createHash("sha256").update(key).digest("hex").slice(0, 32)}`).toString()}`;
}

export async function storeImage(
  ctx: IngestContext,
  request: StoreRequest,
  inTransaction?: InTransaction,
): Promise<StoreOutcome> {
  const { prepared } = request;
  const originalSha256 = sha256Hex(prepared.original);
  const existing = await findExisting(ctx.db, originalSha256, request.image.sopInstanceUid);
  if (existing.length > 0) return linkDuplicate(ctx, request, existing, inTransaction);
  const studyInstanceUid = studyUidOf(request);
  // refused before any object is stored; checked again under the transaction below
  await refuseForeignStudy(ctx.db, studyInstanceUid, request.patient);

  // objects first: content-addressed, so a crash before the rows leaves only bytes a re-run reuses
  const original = await ctx.storage.put(prepared.original, { contentType: prepared.mimeType });
  // only what the rows need is kept of each frame: its derivatives' bytes go once they are stored
  const frames: {
    frame: Omit<PreparedFrame, "master" | "preview">;
    master: PutResult;
    preview: PutResult;
  }[] = [];
  for await (const { master: masterPng, preview: previewPng, ...frame } of prepared.frames) {
    const master = await ctx.storage.put(masterPng, { contentType: "image/png" });
    const preview = await ctx.storage.put(previewPng, { contentType: "image/png" });
    frames.push({ frame, master, preview });
  }

  const outcome = await ctx.db.$transaction(async (tx) => {
    // two imports of the same bytes at once: the second waits here, then finds the first one's rows
    await withAdvisoryLock(tx, lockKey("image", originalSha256));
    const raced = await findExisting(tx, originalSha256, request.image.sopInstanceUid);
    if (raced.length > 0) return { status: "DUPLICATE" as const, imageIds: raced, raced: true };

    await tx.storedObject.createMany({
      data: [
        {
          sha256: original.sha256,
          byteSize: original.byteSize,
          mimeType: prepared.mimeType,
          kind: "ORIGINAL",
        },
        ...frames.flatMap(({ master, preview }) => [
          { sha256: master.sha256, byteSize: master.byteSize, mimeType: "image/png", kind: "MASTER" },
          { sha256: preview.sha256, byteSize: preview.byteSize, mimeType: "image/png", kind: "PREVIEW" },
        ]),
      ],
      skipDuplicates: true,
    });
    const { study, image } = request;
    const patientRow = await upsertPatient(tx, request);
    await withAdvisoryLock(tx, lockKey("study", studyInstanceUid));
    await refuseForeignStudy(tx, studyInstanceUid, request.patient);
    const studyRow = await tx.study.upsert({
      where: { studyInstanceUid },
      create: {
        patientId: patientRow.id,
        studyInstanceUid,
        accessionNumber: study.accessionNumber,
        studyDate: study.studyDate,
        description: study.description,
        institution: study.institution,
      },
      update: {},
    });
    const imageIds: string[] = [];
    for (const { frame, master, preview } of frames) {
      const row = await tx.image.create({
        data: {
          studyId: studyRow.id,
          source: image.source,
          sourceRef: image.sourceRef,
          sopInstanceUid: image.sopInstanceUid,
          seriesInstanceUid: image.seriesInstanceUid,
          frameNumber: frame.frame,
          modality: image.modality,
          viewPosition: image.viewPosition,
          bodyPart: image.bodyPart,
          status: "PENDING", // queued for prediction
          originalSha256: original.sha256,
          masterSha256: master.sha256,
          previewSha256: preview.sha256,
          mimeType: prepared.mimeType,
          byteSize: prepared.original.length,
          width: frame.width,
          height: frame.height,
          bitsStored: frame.bitsStored,
          photometric: frame.photometric,
          windowCenter: frame.window?.center,
          windowWidth: frame.window?.width,
          ...image.clinical,
        },
        select: { id: true },
      });
      imageIds.push(row.id);
    }
    if (request.label) await createImportReads(tx, imageIds, request.label);
    const result: StoreOutcome = { status: "IMPORTED", imageIds };
    await inTransaction?.(tx, result);
    return { ...result, raced: false };
  });
  if (outcome.raced) return linkDuplicate(ctx, request, outcome.imageIds, inTransaction);
  await queueForPrediction(outcome.imageIds, ctx.onQueued);
  return { status: outcome.status, imageIds: outcome.imageIds };
}

type Reader = Pick<Prisma.TransactionClient, "image">;

function studyUidOf({ patient, study }: StoreRequest): string {
  return study.studyInstanceUid ?? derivedUid(`${patient.source}|${patient.externalId}|${study.key ?? ""}`);
}

/**
 * A Study Instance UID is global, a file's claim to it is not proof: a file whose UID names a study of another
 * patient (crafted, or a PACS mix-up) would join that patient's study, so it is refused instead.
 */
async function refuseForeignStudy(
  db: Pick<Prisma.TransactionClient, "study">,
  studyInstanceUid: string,
  patient: StoreRequest["patient"],
): Promise<void> {
  const owner = await db.study.findUnique({
    where: { studyInstanceUid },
    select: { patient: { select: { source: true, externalId: true } } },
  });
  if (!owner || (owner.patient.source === patient.source && owner.patient.externalId === patient.externalId))
    return;
  // the other patient's identifier is not named: the uploader may not be allowed to know it
  throw new RejectedFileError(
    "CONFLICTING_STUDY",
    `its Study Instance UID ${studyInstanceUid} belongs to a study of another patient; the file was not imported ` +
      "(check the file's Patient ID and Study Instance UID)",
  );
}

/**
 * The patient row, created with the file's demographics or, when it exists, completed where it has none. Stored
 * sex and birth year are never overwritten by a file; a file that disagrees with them is audited.
 */
async function upsertPatient(tx: Prisma.TransactionClient, { patient, image }: StoreRequest) {
  const row = await tx.patient.upsert({
    where: { source_externalId: { source: patient.source, externalId: patient.externalId } },
    create: {
      source: patient.source,
      externalId: patient.externalId,
      sex: patient.sex,
      birthYear: patient.birthYear,
      pseudonym: patient.pseudonym,
    },
    update: {},
  });
  const fill = {
    ...(patient.sex && row.sex === null ? { sex: patient.sex } : {}),
    ...(patient.birthYear && row.birthYear === null ? { birthYear: patient.birthYear } : {}),
  };
  const differs =
    (patient.sex !== undefined && row.sex !== null && row.sex !== patient.sex) ||
    (patient.birthYear !== undefined && row.birthYear !== null && row.birthYear !== patient.birthYear);
  if (differs) {
    await recordAudit(tx, {
      action: "patient.demographics_mismatch",
      entityType: "Patient",
      entityId: row.id,
      reason: `an imported file (${image.source}${image.sourceRef ? ` ${image.sourceRef}` : ""}) disagrees; kept the stored values`,
      before: { sex: row.sex, birthYear: row.birthYear },
      after: { sex: patient.sex ?? null, birthYear: patient.birthYear ?? null },
    });
  }
  if (Object.keys(fill).length === 0) return row;
  return tx.patient.update({ where: { id: row.id }, data: fill });
}

async function findExisting(
  db: Reader,
  originalSha256: string,
  sopInstanceUid: string | undefined,
): Promise<string[]> {
  const rows = await db.image.findMany({
    where: { OR: [{ originalSha256 }, ...(sopInstanceUid ? [{ sopInstanceUid }] : [])] },
    orderBy: { frameNumber: "asc" },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

/** The source's label as an IMPORT read per image, and its regions as annotations of those reads. */
async function createImportReads(
  tx: Prisma.TransactionClient,
  imageIds: readonly string[],
  label: NonNullable<StoreRequest["label"]>,
): Promise<void> {
  const { labelSetId, classId } = label;
  const reads = await tx.read.createManyAndReturn({
    data: imageIds.map((imageId) => ({ imageId, labelSetId, classId, source: "IMPORT" as const })),
    select: { id: true, imageId: true },
  });
  const rois = label.rois ?? [];
  if (rois.length === 0) return;
  await tx.annotation.createMany({
    data: reads.flatMap((read) =>
      rois.map((roi) => ({
        imageId: read.imageId,
        readId: read.id,
        classId,
        shape: roi.shape,
        points: roi.points,
        strokeWidth: roi.strokeWidth ?? null,
      })),
    ),
  });
}

/** The same image again: no new rows or objects; its label is added if the image lacks it. */
async function linkDuplicate(
  ctx: IngestContext,
  request: StoreRequest,
  imageIds: string[],
  inTransaction?: InTransaction,
): Promise<StoreOutcome> {
  const outcome: StoreOutcome = { status: "DUPLICATE", imageIds };
  await ctx.db.$transaction(async (tx) => {
    if (request.label) {
      const { labelSetId, classId } = request.label;
      const labelled = await tx.read.findMany({
        where: { imageId: { in: imageIds }, labelSetId, classId, source: "IMPORT" },
        select: { imageId: true },
      });
      const have = new Set(labelled.map((r) => r.imageId));
      const missing = imageIds.filter((id) => !have.has(id));
      if (missing.length) await createImportReads(tx, missing, request.label);
    }
    await inTransaction?.(tx, outcome);
  });
  return outcome;
}
