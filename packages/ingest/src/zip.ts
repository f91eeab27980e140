// Zip archives of uploads, read with yauzl from disk (or from bytes, for tests and small callers) one member at
// a time: only the member being validated is in memory. The central directory is checked first, whole, before
// any member is read: a member path that would leave the archive's folder ("../", absolute paths) refuses the
// whole archive (it was made to attack, not by a user's file manager), and so do a member above the file limit,
// a total above the archive limit and a compression ratio only a bomb has.
import type { Readable } from "node:stream";
import yauzl, { type Entry, type ZipFile } from "yauzl";
import { defaultLimits, describeError, formatBytes, RejectedFileError, type Limits } from "@cxr/imaging";
import { isJunkPath } from "./junk-paths";

export interface ZipMember {
  /** path inside the archive, with forward slashes */
  path: string;
  bytes: Buffer;
}

/** An archive on disk (uploads) or in memory. */
export type ZipSource = { file: string } | { bytes: Uint8Array };

function unsafeMemberPath(path: string): boolean {
  const normalised = path.replace(/\\/g, "/");
  return normalised.startsWith("/") || /^[a-z]:/i.test(normalised) || normalised.split("/").includes("..");
}

async function openZip(source: ZipSource): Promise<ZipFile> {
  // decodeStrings off: names are checked here, with a clearer message than yauzl's
  const options = { lazyEntries: true, decodeStrings: false, validateEntrySizes: true };
  try {
    if ("file" in source) return await yauzl.openPromise(source.file, { ...options, autoClose: false });
    const { bytes } = source;
    return await yauzl.fromBufferPromise(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      options,
    );
  } catch (error) {
    throw new RejectedFileError("CORRUPT", `the zip archive cannot be read (${describeError(error)})`);
  }
}

/**
 * The archive's members (folders and system clutter left out), one at a time: the next member is read only
 * when the caller asks for it, after it is done with this one.
 */
export async function* zipMembers(
  source: ZipSource,
  limits: Limits = defaultLimits,
): AsyncGenerator<ZipMember, void, undefined> {
  const zip = await openZip(source);
  try {
    for (const { entry, path } of await listEntries(zip, limits)) {
      if (path.endsWith("/") || isJunkPath(path)) continue;
      yield { path, bytes: await readEntry(zip, entry) };
    }
  } finally {
    zip.close();
  }
}

/** Every member of an archive in memory (tests). */
export async function readZip(bytes: Uint8Array, limits: Limits = defaultLimits): Promise<ZipMember[]> {
  const members: ZipMember[] = [];
  for await (const member of zipMembers({ bytes }, limits)) members.push(member);
  return members;
}

/** Why an entry refuses the whole archive, or null. */
function entryProblem(entry: Entry, path: string, total: number, limits: Limits): RejectedFileError | null {
  if (unsafeMemberPath(path))
    return new RejectedFileError(
      "UNSAFE_ARCHIVE",
      `the zip archive is refused: member "${path}" points outside the archive`,
    );
  if (entry.uncompressedSize > limits.maxFileBytes)
    return new RejectedFileError(
      "TOO_LARGE",
      `zip member "${path}" is ${formatBytes(entry.uncompressedSize)}, above the limit of ${formatBytes(limits.maxFileBytes)}`,
    );
  // tiny members may compress well whatever they hold; a bomb's members are large
  const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
  if (entry.uncompressedSize > 1024 * 1024 && ratio > limits.maxZipCompressionRatio)
    return new RejectedFileError(
      "UNSAFE_ARCHIVE",
      `the zip archive is refused: member "${path}" expands ${Math.round(ratio)} times (${formatBytes(entry.uncompressedSize)}), as only a zip bomb does`,
    );
  if (total > limits.maxZipUncompressedBytes)
    return new RejectedFileError(
      "TOO_LARGE",
      `the zip archive expands to more than ${formatBytes(limits.maxZipUncompressedBytes)}`,
    );
  return null;
}

async function listEntries(zip: ZipFile, limits: Limits): Promise<{ entry: Entry; path: string }[]> {
  if (zip.entryCount > limits.maxZipEntries) {
    throw new RejectedFileError(
      "TOO_LARGE",
      `the zip archive has ${zip.entryCount} members, above the limit of ${limits.maxZipEntries}`,
    );
  }
  const entries: { entry: Entry; path: string }[] = [];
  let total = 0;
  await new Promise<void>((resolve, reject) => {
    zip.on("entry", (entry: Entry) => {
      const path = Buffer.from(entry.fileName as unknown as Uint8Array).toString("utf8");
      total += entry.uncompressedSize;
      const problem = entryProblem(entry, path, total, limits);
      if (problem) return reject(problem);
      entries.push({ entry, path: path.replace(/\\/g, "/") });
      zip.readEntry();
    });
    zip.on("end", () => resolve());
    zip.on("error", (error: unknown) =>
      reject(new RejectedFileError("CORRUPT", `the zip archive is damaged (${describeError(error)})`)),
    );
    zip.readEntry();
  });
  return entries;
}

async function readEntry(zip: ZipFile, entry: Entry): Promise<Buffer> {
  let stream: Readable;
  try {
    stream = await zip.openReadStreamPromise(entry);
  } catch (error) {
    throw new RejectedFileError("CORRUPT", `a zip member cannot be read (${describeError(error)})`);
  }
  // yauzl stops a member whose data runs past its declared size (validateEntrySizes), which was checked above
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream) chunks.push(chunk as Buffer);
  } catch (error) {
    throw new RejectedFileError("CORRUPT", `a zip member is damaged (${describeError(error)})`);
  }
  return Buffer.concat(chunks);
}
