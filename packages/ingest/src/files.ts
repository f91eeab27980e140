// Reading the files of a data set or folder: bounded reads, and the walk that skips archivers' junk.
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { defaultLimits, formatBytes, RejectedFileError, type Limits } from "@cxr/imaging";
import { isJunkPath } from "./junk-paths";

export class MissingFileError extends Error {
  constructor(readonly file: string) {
    super(`file not found: ${file}`);
    this.name = "MissingFileError";
  }
}

export async function readBounded(file: string, limits: Limits = defaultLimits): Promise<Buffer> {
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new MissingFileError(file);
    size = info.size;
  } catch (error) {
    if (error instanceof MissingFileError) throw error;
    throw new MissingFileError(file);
  }
  if (size > limits.maxFileBytes) {
    throw new RejectedFileError(
      "TOO_LARGE",
      `the file is ${formatBytes(size)}, above the limit of ${formatBytes(limits.maxFileBytes)}`,
    );
  }
  return readFile(file);
}

/** Every regular file below `root`, as paths relative to it with forward slashes, sorted. */
export async function walkFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  async function visit(dir: string, rel: string): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      const relPath = rel ? `${rel}/${entry.name}` : entry.name;
      if (isJunkPath(relPath)) continue;
      if (entry.isDirectory()) await visit(path.join(dir, entry.name), relPath);
      else if (entry.isFile()) out.push(relPath);
    }
  }
  await visit(root, "");
  return out.sort();
}

export async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

export const IMAGE_EXTENSIONS = /\.(png|jpe?g|dcm|dicom)$/i;
