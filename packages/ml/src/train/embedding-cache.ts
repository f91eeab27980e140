// Cached backbone embeddings: computing them is the expensive part (a full backbone pass per image); retraining
// the head on thousands of corrected labels then takes seconds. Entries are keyed by the image's SHA-256 and
// valid for one backbone (the digest of its weights).
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { sha256 } from "../checksum";
import { type GrayImage } from "../image/gray-image";
import { type Classifier, embeddingSize } from "../models/classifier";
import { layerNames } from "../models/head";
import { embed } from "../predict";

const indexSchema = z.object({
  backbone: z.string(),
  size: z.number().int().positive(),
  keys: z.array(z.string()),
});

export interface EmbeddingCache {
  backbone: string;
  size: number;
  entries: Map<string, Float32Array>;
}

/** Digest of every weight before the embedding: the cache key of a backbone. */
export function backboneDigest(classifier: Classifier): Promise<string> {
  return weightsDigest(classifier, { backboneOnly: true });
}

/** Digest of the model's weights (all, or only the backbone's): equal digests, equal weights. */
export async function weightsDigest(
  classifier: Classifier,
  options: { backboneOnly?: boolean } = {},
): Promise<string> {
  const head = new Set<string>(options.backboneOnly ? Object.values(layerNames) : []);
  const parts: string[] = [
    classifier.arch,
    JSON.stringify(classifier.inputSize),
    String(classifier.channels),
  ];
  for (const layer of classifier.model.layers) {
    if (head.has(layer.name)) continue;
    // by layer name and position: tfjs makes variable names unique per process (a second load of the same model
    // gets "..._1"), so the same weights would otherwise digest differently
    for (const [i, w] of layer.weights.entries()) {
      const data = (await w.read().data()) as Float32Array;
      parts.push(
        `${layer.name}/${i}:${sha256(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))}`,
      );
    }
  }
  return sha256(parts.join("\n"));
}

export function emptyCache(backbone: string, size: number): EmbeddingCache {
  return { backbone, size, entries: new Map() };
}

/** Reads a cache folder; a missing folder or another backbone's cache gives an empty cache. */
export async function readEmbeddingCache(
  dir: string,
  backbone: string,
  size: number,
): Promise<EmbeddingCache> {
  try {
    const index = indexSchema.parse(JSON.parse(await readFile(join(dir, "index.json"), "utf8")));
    if (index.backbone !== backbone || index.size !== size) return emptyCache(backbone, size);
    const bytes = await readFile(join(dir, "embeddings.f32"));
    const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    if (all.length !== index.keys.length * size) return emptyCache(backbone, size);
    const entries = new Map(index.keys.map((k, i) => [k, all.slice(i * size, (i + 1) * size)]));
    return { backbone, size, entries };
  } catch {
    return emptyCache(backbone, size);
  }
}

export async function writeEmbeddingCache(dir: string, cache: EmbeddingCache): Promise<void> {
  await mkdir(dir, { recursive: true });
  const keys = [...cache.entries.keys()];
  const all = new Float32Array(keys.length * cache.size);
  keys.forEach((k, i) => all.set(cache.entries.get(k) as Float32Array, i * cache.size));
  await writeFile(join(dir, "embeddings.f32"), new Uint8Array(all.buffer));
  await writeFile(
    join(dir, "index.json"),
    JSON.stringify({ backbone: cache.backbone, size: cache.size, keys }),
  );
}

/** Embeddings for the given images (key = content hash), computing only those not cached yet. */
export async function cachedEmbeddings(
  classifier: Classifier,
  items: readonly { key: string; image: () => Promise<GrayImage> }[],
  cache: EmbeddingCache,
  batchSize = 16,
): Promise<Float32Array> {
  const size = embeddingSize(classifier);
  if (cache.size !== size)
    throw new Error(`the cache holds ${cache.size}-d embeddings, the model makes ${size}-d`);
  const missing = items.filter((it) => !cache.entries.has(it.key));
  for (let start = 0; start < missing.length; start += batchSize) {
    const chunk = missing.slice(start, start + batchSize);
    const images = await Promise.all(chunk.map((it) => it.image()));
    const vectors = await embed(classifier, images, batchSize);
    chunk.forEach((it, i) => cache.entries.set(it.key, vectors.slice(i * size, (i + 1) * size)));
  }
  const out = new Float32Array(items.length * size);
  items.forEach((it, i) => out.set(cache.entries.get(it.key) as Float32Array, i * size));
  return out;
}
