// Server side of the browser upload: every file (zip members included) is validated and decoded before it is
// stored, one at a time, so memory holds one file (or one zip member) and its derivatives, not the upload;
// each file gets its own result with a message a person can act on. The web app's route streams the request
// to files on disk and passes their paths; tests and scripts may pass bytes.
import { open } from "node:fs/promises";
import { recordAudit } from "@cxr/db";
import {
  describeError,
  prepareImageFrames,
  RejectedFileError,
  sniff,
  type ImageToStore,
  type StreamedImage,
} from "@cxr/imaging";
import { sha256Hex } from "@cxr/storage";
import type { IngestContext } from "./context";
import { dicomRequest } from "./dicom-request";
import { storeImage, type StoreRequest } from "./store-image";
import { zipMembers, type ZipSource } from "./zip";

/** One uploaded file: on disk (`file`, the web app's streamed upload) or in memory (`bytes`). */
export type UploadedFile = {
  /** the name the browser sent, with its folder path when a folder was dropped */
  name: string;
} & ({ file: string } | { bytes: Uint8Array });

export interface UploadResult {
  name: string;
  status: "IMPORTED" | "DUPLICATE" | "REJECTED";
  message?: string;
  imageIds: string[];
}

export interface UploadOptions {
  uploadedById?: string;
}

/** enough of a file's head for sniff() to tell a zip from an image */
const HEAD_BYTES = 4100;

async function headOf(upload: UploadedFile): Promise<Uint8Array> {
  if ("bytes" in upload) return upload.bytes.subarray(0, HEAD_BYTES);
  const handle = await open(upload.file, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(HEAD_BYTES), 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function bytesOf(upload: UploadedFile): Promise<Uint8Array> {
  if ("bytes" in upload) return upload.bytes;
  const handle = await open(upload.file, "r");
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

export async function ingestUploadedFiles(
  ctx: IngestContext,
  files: UploadedFile[],
  options: UploadOptions = {},
): Promise<UploadResult[]> {
  const results: UploadResult[] = [];
  // one file that cannot be read is that file's rejection, whatever failed: the rest of the upload goes on
  const refuse = (name: string, error: unknown) => {
    if (!(error instanceof RejectedFileError)) console.error(`upload: ${name} could not be read:`, error);
    const why =
      error instanceof RejectedFileError ? error.message : `could not be read (${describeError(error)})`;
    results.push({ name, status: "REJECTED", message: `${name}: ${why}`, imageIds: [] });
  };
  const prepareAndStore = async (name: string, bytes: Uint8Array, path: string) => {
    let prepared: StreamedImage;
    try {
      // frames are decoded one at a time while they are stored: one decoded frame in memory, not the file's all
      prepared = await prepareImageFrames(bytes, path, {
        limits: ctx.limits,
        deidentify: ctx.deidentify,
        frame: ctx.frame,
      });
    } catch (error) {
      return refuse(name, error);
    }
    try {
      results.push(await store(ctx, name, prepared));
    } finally {
      await prepared.close();
    }
  };

  for (const upload of files) {
    try {
      const head = await headOf(upload);
      if (head.length > 0 && (await sniff(head)).kind === "zip") {
        const source: ZipSource = "bytes" in upload ? { bytes: upload.bytes } : { file: upload.file };
        let members = 0;
        for await (const member of zipMembers(source, ctx.limits)) {
          members += 1;
          await prepareAndStore(`${upload.name}/${member.path}`, member.bytes, member.path);
        }
        if (members === 0) throw new RejectedFileError("EMPTY", "the zip archive holds no files");
        continue;
      }
      await prepareAndStore(upload.name, await bytesOf(upload), upload.name);
    } catch (error) {
      refuse(upload.name, error);
    }
  }

  await recordAudit(ctx.db, {
    actorId: options.uploadedById ?? null,
    action: "images.uploaded",
    entityType: "Upload",
    entityId: sha256Hex(Buffer.from(results.map((r) => r.name).join("\n"))).slice(0, 16),
    after: {
      imported: results.filter((r) => r.status === "IMPORTED").flatMap((r) => r.imageIds),
      duplicates: results.filter((r) => r.status === "DUPLICATE").length,
      rejected: results.filter((r) => r.status === "REJECTED").map((r) => r.message ?? r.name),
    },
  });
  return results;
}

/** A validated file's rows and objects, or its rejection (not a modality we review, a foreign study). */
async function store(ctx: IngestContext, name: string, prepared: ImageToStore): Promise<UploadResult> {
  const described =
    prepared.kind === "dicom" ? dicomRequest(prepared, "UPLOAD", name) : uploadRequest(prepared, name);
  if ("status" in described)
    return {
      name,
      status: "REJECTED",
      message: `${name}: ${described.message ?? "not accepted"}`,
      imageIds: [],
    };
  try {
    const outcome = await storeImage(ctx, { prepared, ...described });
    return {
      name,
      status: outcome.status,
      imageIds: outcome.imageIds,
      message:
        outcome.status === "DUPLICATE" ? `${name}: already stored; linked to the existing image` : undefined,
    };
  } catch (error) {
    const why =
      error instanceof RejectedFileError ? error.message : `could not be stored (${describeError(error)})`;
    return { name, status: "REJECTED", message: `${name}: ${why}`, imageIds: [] };
  }
}

/** A PNG or JPEG upload has no patient information: it stands for its own patient until someone links it. */
function uploadRequest(prepared: ImageToStore, name: string): Omit<StoreRequest, "prepared"> {
  const id = `upload:${sha256Hex(prepared.original).slice(0, 16)}`;
  const filename = name.split("/").pop() ?? name;
  return {
    patient: { source: "UPLOAD", externalId: id },
    study: { key: id },
    image: { source: "UPLOAD", sourceRef: name, modality: "DX", clinical: { filename } },
  };
}
