// The persistent embedding cache of head-only retraining: backbone embeddings keyed by the image's SHA-256,
// grouped per namespace (the backbone's weights digest and the preprocessing, from the engine). Storage is
// content-addressed, so the embeddings a run computed are written as immutable chunks (at most `chunkEntries`
// each: 10,000 images never make one huge object) and each chunk is listed in EmbeddingChunk. Appending only:
// two runs writing at once each add their chunks; an image in both is simply cached twice.
import type { Db } from "@cxr/db";
import { decodeChunk, encodeChunk, type ObjectStorage } from "@cxr/storage";

export const chunkEntries = 2048;
// the chunk format is @cxr/storage's: the web app reads the same chunks (the campaign queue's DIVERSITY)
export { decodeChunk, encodeChunk };

export interface EmbeddingCache {
  readonly namespace: string;
  readonly size: number;
  get(key: string): Float32Array | undefined;
  /** adds a computed embedding (written by `flush`) */
  add(key: string, embedding: Float32Array): void;
  /** writes what was added since the last flush as new chunks; returns how many chunks */
  flush(): Promise<number>;
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
