// Content-addressed objects in a local folder: <root>/ab/cd/<sha256>. Writes go to a temporary file in
// <root>/.tmp, are flushed, then renamed into place, so an object path only ever holds complete bytes.
// Patient images are private to the service's user: files 0600, folders 0700, and a folder written by an
// older version (0755/0644) is tightened the first time this store writes.
import { randomBytes } from "node:crypto";
import { chmod, mkdir, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { sha256Hex, sha256Schema } from "./hash";
import type { ObjectStorage, PutResult } from "./types";
import { ObjectNotFoundError, objectPathOf, verifiedBytes } from "./types";

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

export class LocalStorage implements ObjectStorage {
  readonly description: string;
  private opened: Promise<void> | undefined;

  constructor(private readonly root: string) {
    this.root = path.resolve(root);
    this.description = `folder ${this.root}`;
  }

  private file(sha256: string): string {
    return path.join(this.root, objectPathOf(sha256));
  }

  async put(bytes: Uint8Array): Promise<PutResult> {
    const sha256 = sha256Hex(bytes);
    const target = this.file(sha256);
    await this.open();
    if (await exists(target)) return { sha256, byteSize: bytes.byteLength, created: false };
    const tmpDir = path.join(this.root, ".tmp");
    await mkdir(path.dirname(target), { recursive: true, mode: DIR_MODE });
    const tmp = path.join(tmpDir, `${sha256}.${randomBytes(6).toString("hex")}`);
    const handle = await open(tmp, "wx", FILE_MODE);
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

  /** Creates the root and .tmp as 0700 and tightens them if they already existed (once per store). */
  private open(): Promise<void> {
    this.opened ??= (async () => {
      for (const dir of [this.root, path.join(this.root, ".tmp")]) {
        await mkdir(dir, { recursive: true, mode: DIR_MODE });
        // mkdir leaves an existing folder's mode alone; a 0700 root hides every older 0644 object below it
        await chmod(dir, DIR_MODE);
      }
    })().catch((error: unknown) => {
      this.opened = undefined;
      throw error;
    });
    return this.opened;
  }

  async get(sha256: string): Promise<Buffer> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.file(sha256));
    } catch (error) {
      if (isNotFound(error)) throw new ObjectNotFoundError(sha256);
      throw error;
    }
    return verifiedBytes(sha256, bytes);
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
