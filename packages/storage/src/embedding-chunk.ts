// The bytes of an embedding chunk (inference's persistent embedding cache, listed in EmbeddingChunk): written by
// the inference service's head-only retraining, read there and by the web app (the campaign queue's batch
// strategies rank images by their embeddings).
import { z } from "zod";

const headerSchema = z.object({
  format: z.literal("cxr-embeddings-1"),
  size: z.number().int().positive(),
  keys: z.array(z.string()),
});

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
