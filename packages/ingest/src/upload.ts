// Server side of the browser upload: every file (zip members included) is validated and decoded in memory
// before anything is stored; each file gets its own result with a message a person can act on. An API route
// calls ingestUploadedFiles with the files it received.
import { recordAudit } from "@cxr/db";
import { describeError, prepareImage, RejectedFileError, sniff, type PreparedImage } from "@cxr/imaging";
import { sha256Hex } from "@cxr/storage";
import type { IngestContext } from "./context";
import { dicomRequest } from "./dicom-request";
import { storeImage, type StoreRequest } from "./store-image";
import { readZip } from "./zip";

export interface UploadedFile {
  /** the name the browser sent, with its folder path when a folder was dropped */
  name: string;
  bytes: Uint8Array;
}

export interface UploadResult {
  name: string;
  status: "IMPORTED" | "DUPLICATE" | "REJECTED";
  message?: string;
  imageIds: string[];
}

export interface UploadOptions {
  uploadedById?: string;
}

export async function ingestUploadedFiles(
  ctx: IngestContext,
  files: UploadedFile[],
  options: UploadOptions = {},
): Promise<UploadResult[]> {
  const accepted: { name: string; prepared: PreparedImage }[] = [];
  const rejected: UploadResult[] = [];
  // one file that cannot be read is that file's rejection, whatever failed: the rest of the upload goes on
  const refuse = (name: string, error: unknown) => {
    if (!(error instanceof RejectedFileError)) console.error(`upload: ${name} could not be read:`, error);
    const why =
      error instanceof RejectedFileError ? error.message : `could not be read (${describeError(error)})`;
    rejected.push({ name, status: "REJECTED", message: `${name}: ${why}`, imageIds: [] });
  };

  // 1. validate and decode everything; nothing is stored yet
  for (const file of files) {
    try {
      if (file.bytes.length > 0 && (await sniff(file.bytes)).kind === "zip") {
        const members = await readZip(file.bytes, ctx.limits);
        if (members.length === 0) throw new RejectedFileError("EMPTY", "the zip archive holds no files");
        for (const member of members) {
          const name = `${file.name}/${member.path}`;
          try {
            accepted.push({
              name,
              prepared: await prepareImage(member.bytes, member.path, {
                limits: ctx.limits,
                deidentify: ctx.deidentify,
                frame: ctx.frame,
              }),
            });
          } catch (error) {
            refuse(name, error);
          }
        }
        continue;
      }
      accepted.push({
        name: file.name,
        prepared: await prepareImage(file.bytes, file.name, {
          limits: ctx.limits,
          deidentify: ctx.deidentify,
          frame: ctx.frame,
        }),
      });
    } catch (error) {
      refuse(file.name, error);
    }
  }

  // 2. store what passed
  const results: UploadResult[] = [];
  for (const { name, prepared } of accepted) {
    const described =
      prepared.kind === "dicom" ? dicomRequest(prepared, "UPLOAD", name) : uploadRequest(prepared, name);
    if ("status" in described) {
      results.push({
        name,
        status: "REJECTED",
        message: `${name}: ${described.message ?? "not accepted"}`,
        imageIds: [],
      });
      continue;
    }
    try {
      const outcome = await storeImage(ctx, { prepared, ...described });
      results.push({
        name,
        status: outcome.status,
        imageIds: outcome.imageIds,
        message:
          outcome.status === "DUPLICATE"
            ? `${name}: already stored; linked to the existing image`
            : undefined,
      });
    } catch (error) {
      results.push({
        name,
        status: "REJECTED",
        message:
          error instanceof RejectedFileError
            ? `${name}: ${error.message}`
            : `${name}: could not be stored (${describeError(error)})`,
        imageIds: [],
      });
    }
  }
  const all = [...results, ...rejected];
  await recordAudit(ctx.db, {
    actorId: options.uploadedById ?? null,
    action: "images.uploaded",
    entityType: "Upload",
    entityId: sha256Hex(Buffer.from(all.map((r) => r.name).join("\n"))).slice(0, 16),
    after: {
      imported: all.filter((r) => r.status === "IMPORTED").flatMap((r) => r.imageIds),
      duplicates: all.filter((r) => r.status === "DUPLICATE").length,
      rejected: all.filter((r) => r.status === "REJECTED").map((r) => r.message ?? r.name),
    },
  });
  return all;
}

/** A PNG or JPEG upload has no patient information: it stands for its own patient until someone links it. */
function uploadRequest(prepared: PreparedImage, name: string): Omit<StoreRequest, "prepared"> {
  const id = `upload:${sha256Hex(prepared.original).slice(0, 16)}`;
  const filename = name.split("/").pop() ?? name;
  return {
    patient: { source: "UPLOAD", externalId: id },
    study: { key: id },
    image: { source: "UPLOAD", sourceRef: name, modality: "DX", clinical: { filename } },
  };
}
