// Content-addressed objects in a local folder: <root>/ab/cd/<sha256>. Writes go to a temporary file in
// <root>/.tmp, are flushed, then renamed into place, so an object path only ever holds complete bytes.
import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { sha256Hex, sha256Schema } from "./hash";
import {
  ObjectCorruptError,
  ObjectNotFoundError,
  objectPath,
  type ObjectStorage,
  type PutResult,
} from "./types";

export class LocalStorage implements ObjectStorage {
  readonly description: string;

  constructor(private readonly root: string) {
    this.root = path.resolve(root);
    this.description = `folder ${this.root}`;
  }

  private file(sha256: string): string {
    return path.join(this.root, objectPath(sha256Schema.parse(sha256)));
  }

  async put(bytes: Uint8Array): Promise<PutResult> {
    const sha256 = sha256Hex(bytes);
    const target = this.file(sha256);
    if (await exists(target)) return { sha256, byteSize: bytes.byteLength, created: false };
    const tmpDir = path.join(this.root, ".tmp");
    await mkdir(tmpDir, { recursive: true });
    await mkdir(path.dirname(target), { recursive: true });
    const tmp = path.join(tmpDir, `${sha256}.${randomBytes(6).toString("hex")}`);
    const handle = await open(tmp, "wx", 0o644);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // rename is atomic on one file system; a concurrent writer of the same hash writes the same bytes
    await rename(tmp, target);
    return { sha256, byteSize: bytes.byteLength, created: true };
  }

  async get(sha256: string): Promise<Buffer> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.file(sha256));
    } catch (error) {
      if (isNotFound(error)) throw new ObjectNotFoundError(sha256);
      throw error;
    }
    const actual = sha256Hex(bytes);
    if (actual !== sha256) throw new ObjectCorruptError(sha256, actual);
    return bytes;
  }

  has(sha256: string): Promise<boolean> {
    return exists(this.file(sha256));
  }

  async delete(sha256: string): Promise<void> {
    await rm(this.file(sha256), { force: true });
  }

  async *list(): AsyncIterable<string> {
    for (const a of await readdirOrEmpty(this.root)) {
      if (!/^[0-9a-f]{2}$/.test(a)) continue;
      for (const b of await readdirOrEmpty(path.join(this.root, a))) {
        for (const name of await readdirOrEmpty(path.join(this.root, a, b))) {
          if (sha256Schema.safeParse(name).success) yield name;
        }
      }
    }
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ENOENT";
}
