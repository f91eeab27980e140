// POST /api/upload, as a plain function of the request and its dependencies (the route only wires them),
// so its checks are tested directly: who may upload, how much, and what reaches the ingest pipeline.
import { rm } from "node:fs/promises";
import { type Db } from "@cxr/db";
import { DomainError, httpStatusOf, isDomainError, requireActiveAccount, type Role } from "@cxr/domain";
import { defaultLimits, type Limits } from "@cxr/imaging";
import { type ObjectStorage } from "@cxr/storage";
import { type Session } from "next-auth";
import { formatBytes } from "~/lib/format";
import { cleanUploadPath, MULTIPART_OVERHEAD_BYTES, type UploadResponse } from "~/lib/upload/protocol";
import { ingestUploadedFiles, type UploadedFile } from "~/server/ingest";
import { spoolMultipart } from "./upload-body";

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

/** The ingest limits for browser uploads: the configured file size, and zips bounded by it too. */
export function uploadLimits(maxFileBytes: number): Limits {
  return {
    ...defaultLimits,
    maxFileBytes: Math.min(defaultLimits.maxFileBytes, maxFileBytes),
    // zips are read from disk a member at a time; this bounds the time one request may take
    maxZipUncompressedBytes: Math.min(defaultLimits.maxZipUncompressedBytes, 4 * maxFileBytes),
  };
}

/**
 * Uploads being received or ingested at once in this process; one beyond is answered 429 before its body is
 * read, with when to try again, instead of queueing bodies (in memory or on disk) nobody bounds.
 */
export class UploadSlots {
  private busy = 0;

  constructor(
    readonly size: number,
    /** the Retry-After the browser waits before sending again */
    readonly retryAfterSeconds = 5,
  ) {}

  /** A release function, or null when every slot is taken. */
  take(): (() => void) | null {
    if (this.busy >= this.size) return null;
    this.busy += 1;
    let released = false;
    return () => {
      if (!released) this.busy -= 1;
      released = true;
    };
  }

  get inUse(): number {
    return this.busy;
  }
}

export interface UploadDeps {
  db: Db;
  storage: ObjectStorage;
  session: Session | null;
  /** largest file accepted; the request may be this plus the multipart framing */
  maxFileBytes: number;
  /** bounds concurrent uploads per process (decoding is CPU- and memory-heavy) */
  slots: UploadSlots;
  /** where request bodies are spooled (a folder per request, removed afterwards) */
  tmpDir: string;
}

/** What can be refused from the headers alone: not multipart (415), a declared size above the cap (413). */
export function checkHeaders(
  request: Request,
  maxFileBytes: number,
  tooLargeError: (maxFileBytes: number, size?: number) => DomainError = tooLarge,
): { contentType: string; maxBody: number } {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(contentType)) {
    throw new DomainError(
      "UNSUPPORTED_MEDIA_TYPE",
      "Send the files as multipart/form-data, one `file` field per file.",
    );
  }
  const maxBody = maxFileBytes + MULTIPART_OVERHEAD_BYTES;
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBody) throw tooLargeError(maxFileBytes, declared);
  return { contentType, maxBody };
}

async function receiveUpload(
  request: Request,
  deps: UploadDeps,
): Promise<{ dir: string; files: UploadedFile[] }> {
  const { contentType, maxBody } = checkHeaders(request, deps.maxFileBytes);
  const spooled = await spoolMultipart(request, contentType, deps.tmpDir, {
    maxFileBytes: deps.maxFileBytes,
    maxBodyBytes: maxBody,
    tooLarge: () => tooLarge(deps.maxFileBytes),
  });
  const { files, paths } = spooled;
  if (paths.length > 0 && paths.length !== files.length) {
    await rm(spooled.dir, { recursive: true, force: true });
    throw new DomainError("BAD_REQUEST", "Give one `path` field per file, or none.");
  }
  return {
    dir: spooled.dir,
    files: files.map((f, i) => ({
      // shown and recorded only: stored objects are named by their SHA-256, never by this
      name: cleanUploadPath(paths[i] ?? f.filename),
      file: f.file,
    })),
  };
}

const json = (body: unknown, status: number) =>
  Response.json(body, { status, headers: { "cache-control": "no-store" } });

export async function handleUpload(request: Request, deps: UploadDeps): Promise<Response> {
  let release: (() => void) | null = null;
  let dir: string | undefined;
  try {
    const { userId } = await authorizeUpload(deps.db, deps.session);
    release = deps.slots.take();
    if (!release) {
      return Response.json(
        {
          error: `The server is busy with other uploads. This file is sent again in ${deps.slots.retryAfterSeconds} s.`,
        },
        {
          status: 429,
          headers: { "cache-control": "no-store", "retry-after": String(deps.slots.retryAfterSeconds) },
        },
      );
    }
    const received = await receiveUpload(request, deps);
    dir = received.dir;
    const ctx = { db: deps.db, storage: deps.storage, limits: uploadLimits(deps.maxFileBytes) };
    const results = await ingestUploadedFiles(ctx, received.files, { uploadedById: userId });
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
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
    release?.();
  }
}
