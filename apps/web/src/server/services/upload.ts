// POST /api/upload, as a plain function of the request and its dependencies (the route only wires them),
// so its checks are tested directly: who may upload, how much, and what reaches the ingest pipeline.
import { type Db } from "@cxr/db";
import { DomainError, httpStatusOf, isDomainError, requireActiveAccount, type Role } from "@cxr/domain";
import { defaultLimits, type Limits } from "@cxr/imaging";
import { type ObjectStorage } from "@cxr/storage";
import { type Session } from "next-auth";
import { type LimitFunction } from "p-limit";
import { z } from "zod";
import { formatBytes } from "~/lib/format";
import {
  cleanUploadPath,
  FILE_FIELD,
  MAX_FILES_PER_REQUEST,
  MULTIPART_OVERHEAD_BYTES,
  PATH_FIELD,
  type UploadResponse,
} from "~/lib/upload/protocol";
import { ingestUploadedFiles } from "~/server/ingest";

export const UPLOAD_ROLES: readonly Role[] = ["ADMIN", "RADIOLOGIST"];

/** The uploader's id; the account is re-read so a deactivated user or a changed role counts at once. */
export async function authorizeUpload(db: Db, session: Session | null): Promise<{ userId: string }> {
  if (!session) throw new DomainError("UNAUTHORIZED", "Sign in to upload images.");
  const account = await requireActiveAccount(db, session.user.id);
  if (!UPLOAD_ROLES.includes(account.role))
    throw new DomainError("FORBIDDEN", "Your role does not allow uploading images.");
  return { userId: account.id };
}

function tooLarge(maxFileBytes: number, size?: number): DomainError {
  const what = size === undefined ? "The upload is" : `The upload is ${formatBytes(size)},`;
  return new DomainError(
    "PAYLOAD_TOO_LARGE",
    `${what} above the limit of ${formatBytes(maxFileBytes)} per file. Split large folders or zips into smaller parts.`,
  );
}

/**
 * The request body, read while counting: it stops at `maxBytes` instead of buffering whatever a client
 * sends (Content-Length may be absent or wrong with chunked bodies).
 */
export async function readBodyLimited(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<Uint8Array<ArrayBuffer> | null> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel("upload too large").catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(new ArrayBuffer(total));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** The ingest limits for browser uploads: the configured file size, and zips bounded by it too. */
export function uploadLimits(maxFileBytes: number): Limits {
  return {
    ...defaultLimits,
    maxFileBytes: Math.min(defaultLimits.maxFileBytes, maxFileBytes),
    // the server holds a whole upload, unpacked, in memory while it validates it
    maxZipUncompressedBytes: Math.min(defaultLimits.maxZipUncompressedBytes, 4 * maxFileBytes),
  };
}

const pathsSchema = z.array(z.string().max(4096, "a path is longer than 4096 characters"));

export interface UploadDeps {
  db: Db;
  storage: ObjectStorage;
  session: Session | null;
  /** largest file accepted; the request may be this plus the multipart framing */
  maxFileBytes: number;
  /** bounds concurrent decoding across requests */
  limiter?: LimitFunction;
}

async function readUpload(request: Request, maxFileBytes: number) {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(contentType)) {
    throw new DomainError(
      "UNSUPPORTED_MEDIA_TYPE",
      "Send the files as multipart/form-data, one `file` field per file.",
    );
  }
  const maxBody = maxFileBytes + MULTIPART_OVERHEAD_BYTES;
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBody) throw tooLarge(maxFileBytes, declared);

  const bytes = await readBodyLimited(request.body, maxBody);
  if (!bytes) throw tooLarge(maxFileBytes);
  let form: FormData;
  try {
    form = await new Response(bytes, { headers: { "content-type": contentType } }).formData();
  } catch {
    throw new DomainError("BAD_REQUEST", "The upload could not be read as multipart/form-data.");
  }
  const entries = form.getAll(FILE_FIELD);
  const files = entries.filter((entry): entry is File => typeof entry !== "string");
  if (files.length === 0 || files.length !== entries.length) {
    throw new DomainError("BAD_REQUEST", "No file was sent: put each file in a `file` field.");
  }
  if (files.length > MAX_FILES_PER_REQUEST) {
    throw new DomainError("BAD_REQUEST", `Send at most ${MAX_FILES_PER_REQUEST} files per request.`);
  }
  const paths = pathsSchema.safeParse(form.getAll(PATH_FIELD));
  if (!paths.success || (paths.data.length > 0 && paths.data.length !== files.length)) {
    throw new DomainError("BAD_REQUEST", "Give one `path` field per file, or none.");
  }
  return Promise.all(
    files.map(async (file, i) => ({
      // shown and recorded only: stored objects are named by their SHA-256, never by this
      name: cleanUploadPath(paths.data[i] ?? file.name),
      bytes: new Uint8Array(await file.arrayBuffer()),
    })),
  );
}

const json = (body: unknown, status: number) =>
  Response.json(body, { status, headers: { "cache-control": "no-store" } });

export async function handleUpload(request: Request, deps: UploadDeps): Promise<Response> {
  try {
    const { userId } = await authorizeUpload(deps.db, deps.session);
    const files = await readUpload(request, deps.maxFileBytes);
    const ctx = { db: deps.db, storage: deps.storage, limits: uploadLimits(deps.maxFileBytes) };
    const ingest = () => ingestUploadedFiles(ctx, files, { uploadedById: userId });
    const results = await (deps.limiter ? deps.limiter(ingest) : ingest());
    const body: UploadResponse = {
      results: results.map(({ name, status, message, imageIds }) => ({ name, status, message, imageIds })),
    };
    return json(body, 200);
  } catch (error) {
    if (isDomainError(error)) return json({ error: error.message }, httpStatusOf(error.code));
    // details stay in the server log; the browser gets a message, never a stack trace
    console.error("upload failed:", error);
    return json(
      {
        error:
          "The server could not store the upload. Try again; if it keeps happening, tell an administrator.",
      },
      500,
    );
  }
}
