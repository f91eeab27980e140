// The upload request's body, streamed to files on disk as it arrives: memory holds a chunk, not the upload.
// Each `file` part goes to its own file (0600) in a per-request folder (0700) under the upload folder; the byte
// caps are enforced while streaming (a file above the per-file limit, a body above the request limit), and the
// request folder is removed on every refusal or failure here and by the caller once the files are ingested.
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type ReadableStream as NodeWebStream } from "node:stream/web";
import Busboy from "busboy";
import { DomainError } from "@cxr/domain";
import { FILE_FIELD, MAX_FILES_PER_REQUEST, PATH_FIELD } from "~/lib/upload/protocol";

export interface SpooledFile {
  /** the multipart file name the browser sent */
  filename: string;
  /** where its bytes are on disk */
  file: string;
}

export interface SpooledUpload {
  /** the request's folder: remove it when done */
  dir: string;
  files: SpooledFile[];
  /** the `path` fields, in order */
  paths: string[];
}

export interface SpoolLimits {
  maxFileBytes: number;
  maxBodyBytes: number;
  /** made when a cap is passed (the caller's 413) */
  tooLarge: () => DomainError;
}

/** A request-level cap passed while streaming; thrown into the pipeline to stop it. */
class CapExceeded extends Error {}

/** Counts the body's bytes and stops the stream once they pass `max`, whatever Content-Length said. */
function byteCap(max: number): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      total += chunk.length;
      if (total > max) return done(new CapExceeded());
      done(null, chunk);
    },
  });
}

/** an upload folder this old was left by a process that died mid-request */
export const STALE_UPLOAD_MS = 24 * 3600_000;
const swept = new Set<string>();

/** Removes request folders a crashed process left behind; once per folder and process. */
export async function sweepStaleUploads(tmpRoot: string, now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(tmpRoot).catch(() => [])) {
    const dir = path.join(tmpRoot, name);
    const info = await stat(dir).catch(() => null);
    if (!name.startsWith("upload-") || !info || now - info.mtimeMs < STALE_UPLOAD_MS) continue;
    await rm(dir, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

export async function spoolMultipart(
  request: Request,
  contentType: string,
  tmpRoot: string,
  limits: SpoolLimits,
): Promise<SpooledUpload> {
  await mkdir(tmpRoot, { recursive: true, mode: 0o700 });
  if (!swept.has(tmpRoot)) {
    swept.add(tmpRoot);
    const removed = await sweepStaleUploads(tmpRoot);
    if (removed.length)
      console.warn(`upload: removed ${removed.length} folder(s) left by an interrupted upload`);
  }
  const dir = await mkdtemp(path.join(tmpRoot, "upload-"));
  const files: SpooledFile[] = [];
  const paths: string[] = [];
  const writes: Promise<void>[] = [];
  const fileStreams: Readable[] = [];
  let fileAsText = false;
  let tooManyFiles = false;
  let pathTooLong = false;
  try {
    let parser: Busboy.Busboy;
    try {
      parser = Busboy({
        headers: { "content-type": contentType },
        limits: {
          files: MAX_FILES_PER_REQUEST,
          fileSize: limits.maxFileBytes,
          fields: 2 * MAX_FILES_PER_REQUEST,
          fieldSize: 4096,
        },
      });
    } catch {
      throw new DomainError("BAD_REQUEST", "The upload could not be read as multipart/form-data.");
    }
    const cap = byteCap(limits.maxBodyBytes);
    parser.on("file", (field, stream, info) => {
      if (field !== FILE_FIELD) return void stream.resume();
      const file = path.join(dir, String(files.length));
      files.push({ filename: info.filename ?? "", file });
      fileStreams.push(stream);
      // one file above the limit stops the whole request: its rest is not read
      stream.on("limit", () => cap.destroy(new CapExceeded()));
      writes.push(pipeline(stream, createWriteStream(file, { flags: "wx", mode: 0o600 })));
    });
    parser.on("field", (name, value, info) => {
      if (name === FILE_FIELD) fileAsText = true;
      else if (name === PATH_FIELD) {
        if (info.valueTruncated) pathTooLong = true;
        paths.push(value);
      }
    });
    parser.on("filesLimit", () => (tooManyFiles = true));

    if (!request.body)
      throw new DomainError("BAD_REQUEST", "No file was sent: put each file in a `file` field.");
    try {
      await pipeline(Readable.fromWeb(request.body as NodeWebStream<Uint8Array>), cap, parser);
      await Promise.all(writes);
    } catch (error) {
      if (error instanceof CapExceeded) throw limits.tooLarge();
      if (error instanceof DomainError) throw error;
      // busboy's parse errors, and a client that went away mid-body
      throw new DomainError("BAD_REQUEST", "The upload could not be read as multipart/form-data.");
    }
    if (tooManyFiles)
      throw new DomainError("BAD_REQUEST", `Send at most ${MAX_FILES_PER_REQUEST} files per request.`);
    if (pathTooLong) throw new DomainError("BAD_REQUEST", "A path is longer than 4096 characters.");
    if (files.length === 0 || fileAsText)
      throw new DomainError("BAD_REQUEST", "No file was sent: put each file in a `file` field.");
    return { dir, files, paths };
  } catch (error) {
    // the parts still being written stop, then their folder goes
    for (const stream of fileStreams) stream.destroy();
    await Promise.allSettled(writes);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
