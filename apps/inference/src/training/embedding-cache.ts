// The persistent embedding cache of head-only retraining: backbone embeddings keyed by the image's SHA-256,
// grouped per namespace (the backbone's weights digest and the preprocessing, from the engine). Storage is
// content-addressed, so the embeddings a run computed are written as immutable chunks (at most `chunkEntries`
// each: 10,000 images never make one huge object) and each chunk is listed in EmbeddingChunk. Appending only:
// two runs writing at once each add their chunks; an image in both is simply cached twice.
import type { Db } from "@cxr/db";
import type { ObjectStorage } from "@cxr/storage";
import { z } from "zod";

export const chunkEntries = 2048;

const headerSchema = z.object({
  format: z.literal("cxr-embeddings-1"),
  size: z.number().int().positive(),
  keys: z.array(z.string()),
});

export interface EmbeddingCache {
  readonly namespace: string;
  readonly size: number;
  get(key: string): Float32Array | undefined;
  /** adds a computed embedding (written by `flush`) */
  add(key: string, embedding: Float32Array): void;
  /** writes what was added since the last flush as new chunks; returns how many chunks */
  flush(): Promise<number>;
}

/** A chunk's bytes: a little-endian header length, the JSON header, padding to 4 bytes, then the floats. */
export function encodeChunk(size: number, entries: readonly [string, Float32Array][]): Uint8Array {
  const header = Buffer.from(
    JSON.stringify({ format: "cxr-embeddings-1", size, keys: entries.map(([k]) => k) }),
  );
  const offset = 4 + header.length + ((4 - ((4 + header.length) % 4)) % 4);
  const bytes = new Uint8Array(offset + entries.length * size * 4);
  new DataView(bytes.buffer).setUint32(0, header.length, true);
  bytes.set(header, 4);
  const floats = new Float32Array(bytes.buffer, offset, entries.length * size);
  entries.forEach(([, e], i) => floats.set(e, i * size));
  return bytes;
}

export function decodeChunk(bytes: Uint8Array): { size: number; entries: [string, Float32Array][] } {
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  const header = headerSchema.parse(JSON.parse(Buffer.from(bytes.subarray(4, 4 + length)).toString("utf8")));
  const offset = 4 + length + ((4 - ((4 + length) % 4)) % 4);
  const expected = offset + header.keys.length * header.size * 4;
  if (bytes.byteLength !== expected)
    throw new Error(`embedding chunk: ${bytes.byteLength} bytes, its header says ${expected}`);
  // a copy, aligned, so each entry is a view of one buffer
  const copy = new Uint8Array(bytes.byteLength - offset);
  copy.set(bytes.subarray(offset));
  const floats = new Float32Array(copy.buffer);
  return {
    size: header.size,
    entries: header.keys.map((k, i) => [k, floats.subarray(i * header.size, (i + 1) * header.size)]),
  };
}

/** Reads every chunk of the namespace; a chunk that is missing or unreadable is skipped (its images recomputed). */
export async function openEmbeddingCache(
  deps: { db: Pick<Db, "embeddingChunk" | "storedObject">; storage: ObjectStorage },
  namespace: string,
  size: number,
): Promise<EmbeddingCache> {
  const entries = new Map<string, Float32Array>();
  const chunks = await deps.db.embeddingChunk.findMany({
    where: { namespace, size },
    select: { sha256: true },
    orderBy: { createdAt: "asc" },
  });
  const read = async (sha256: string) => {
    try {
      return decodeChunk(await deps.storage.get(sha256));
    } catch (error) {
      console.error(
        `embedding chunk ${sha256} skipped: ${error instanceof Error ? error.message : String(error)}`,
      );
      return null;
    }
  };
  // a few chunks at a time: S3 answers faster in parallel, and each is a few MB at most
  for (let start = 0; start < chunks.length; start += 4) {
    for (const chunk of await Promise.all(chunks.slice(start, start + 4).map((c) => read(c.sha256))))
      if (chunk?.size === size) for (const [k, e] of chunk.entries) entries.set(k, e);
  }
  let added: [string, Float32Array][] = [];
  return {
    namespace,
    size,
    get: (key) => entries.get(key),
    add(key, embedding) {
      if (embedding.length !== size)
        throw new Error(`embedding of ${embedding.length} floats for a ${size}-float cache`);
      entries.set(key, embedding);
      added.push([key, embedding]);
    },
    async flush() {
      const pending = added;
      added = [];
      let written = 0;
      for (let start = 0; start < pending.length; start += chunkEntries) {
        const bytes = encodeChunk(size, pending.slice(start, start + chunkEntries));
        const put = await deps.storage.put(bytes, { contentType: "application/octet-stream" });
        await deps.db.storedObject.createMany({
          data: [
            {
              sha256: put.sha256,
              byteSize: put.byteSize,
              mimeType: "application/octet-stream",
              kind: "EMBEDDINGS",
            },
          ],
          skipDuplicates: true,
        });
        await deps.db.embeddingChunk.createMany({
          data: [
            { sha256: put.sha256, namespace, size, count: Math.min(chunkEntries, pending.length - start) },
          ],
          skipDuplicates: true,
        });
        written++;
      }
      return written;
    },
  };
}
