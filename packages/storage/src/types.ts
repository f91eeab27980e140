import { sha256Hex, sha256Schema } from "./hash";

export interface PutResult {
  sha256: string;
  byteSize: number;
  /** false when the object was already there (content addressing: stored once) */
  created: boolean;
}

/** Content-addressed blob store: the key of every object is the SHA-256 of its bytes. */
export interface ObjectStorage {
  /** where the objects live, for logs (never contains credentials) */
  readonly description: string;
  /** Stores the bytes atomically: a reader never sees a half-written object. */
  put(bytes: Uint8Array, options?: { contentType?: string }): Promise<PutResult>;
  /** The bytes, checked against their hash. Throws ObjectNotFoundError when absent. */
  get(sha256: string): Promise<Buffer>;
  has(sha256: string): Promise<boolean>;
  delete(sha256: string): Promise<void>;
  list(): AsyncIterable<string>;
}

export class ObjectNotFoundError extends Error {
  constructor(readonly sha256: string) {
    super(`object ${sha256} is not in storage`);
    this.name = "ObjectNotFoundError";
  }
}

export class ObjectCorruptError extends Error {
  constructor(
    readonly sha256: string,
    actual: string,
  ) {
    super(`object ${sha256} is corrupt: its bytes hash to ${actual}`);
    this.name = "ObjectCorruptError";
  }
}

/** Objects are spread over two levels of folders / key prefixes so no folder grows huge. */
export function objectPath(sha256: string): string {
  return `${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}

/** The relative path (or key) of an object, from a key checked to be a SHA-256. */
export function objectPathOf(sha256: string): string {
  return objectPath(sha256Schema.parse(sha256));
}

/** Bytes read back from a backend, checked against the key they were stored under (every backend's get). */
export function verifiedBytes<B extends Uint8Array>(sha256: string, bytes: B): B {
  const actual = sha256Hex(bytes);
  if (actual !== sha256) throw new ObjectCorruptError(sha256, actual);
  return bytes;
}
