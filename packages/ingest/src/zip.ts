// Zip archives from uploads, read in memory with yauzl. Any member path that would leave the archive's folder
// ("../", absolute paths) rejects the whole archive: it was made to attack, not by a user's file manager.
import type { Readable } from "node:stream";
import yauzl, { type Entry, type ZipFile } from "yauzl";
import { defaultLimits, describeError, formatBytes, RejectedFileError, type Limits } from "@cxr/imaging";
import { isJunkPath } from "./junk-paths";

export interface ZipMember {
  /** path inside the archive, with forward slashes */
  path: string;
  bytes: Buffer;
}

function unsafeMemberPath(path: string): boolean {
  const normalised = path.replace(/\\/g, "/");
  return normalised.startsWith("/") || /^[a-z]:/i.test(normalised) || normalised.split("/").includes("..");
}

export async function readZip(bytes: Uint8Array, limits: Limits = defaultLimits): Promise<ZipMember[]> {
  let zip: ZipFile;
  try {
    // decodeStrings off: names are checked here, with a clearer message than yauzl's
    zip = await yauzl.fromBufferPromise(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      lazyEntries: true,
      decodeStrings: false,
      validateEntrySizes: true,
    });
  } catch (error) {
    throw new RejectedFileError("CORRUPT", `the zip archive cannot be read (${describeError(error)})`);
  }
  try {
    const entries = await listEntries(zip, limits);
    const members: ZipMember[] = [];
    for (const { entry, path } of entries) {
      if (path.endsWith("/") || isJunkPath(path)) continue;
      members.push({ path, bytes: await readEntry(zip, entry) });
    }
    return members;
  } finally {
    zip.close();
  }
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
      if (unsafeMemberPath(path)) {
        reject(
          new RejectedFileError(
            "UNSAFE_ARCHIVE",
            `the zip archive is refused: member "${path}" points outside the archive`,
          ),
        );
        return;
      }
      if (entry.uncompressedSize > limits.maxFileBytes) {
        reject(
          new RejectedFileError(
            "TOO_LARGE",
            `zip member "${path}" is ${formatBytes(entry.uncompressedSize)}, above the limit of ${formatBytes(limits.maxFileBytes)}`,
          ),
        );
        return;
      }
      total += entry.uncompressedSize;
      if (total > limits.maxZipUncompressedBytes) {
        reject(
          new RejectedFileError(
            "TOO_LARGE",
            `the zip archive expands to more than ${formatBytes(limits.maxZipUncompressedBytes)}`,
          ),
        );
        return;
      }
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
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream) chunks.push(chunk as Buffer);
  } catch (error) {
    throw new RejectedFileError("CORRUPT", `a zip member is damaged (${describeError(error)})`);
  }
  return Buffer.concat(chunks);
}
