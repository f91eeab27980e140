// Head-only retraining over HTTP against a real PostgreSQL and real storage: a new head on the champion's frozen
// backbone, with the backbone embeddings kept in object storage (chunks listed in EmbeddingChunk), so a second run
// on the same images computes none, and evaluates candidate and champion on the cached embeddings.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createInferenceClient, type InferenceClient } from "@cxr/inference-api/client";
import { trainingProgressSchema } from "@cxr/inference-api";
import { chunkEntries, decodeChunk, encodeChunk, openEmbeddingCache } from "../src/training/embedding-cache";
import { createFakeEngine } from "./fixtures/fake-engine";
import { importImages, startTestService, TOKEN, type TestService } from "./fixtures/service";
import { trainToVersion } from "./fixtures/training";

let svc: TestService;
let client: InferenceClient;
const engine = createFakeEngine();
const images = 24;

beforeAll(async () => {
  svc = await startTestService(inject("testDatabaseAdminUrl"), { engine });
  client = createInferenceClient({ url: svc.url, token: TOKEN });
  await importImages(svc.db, svc.storageDir, images);
});
afterAll(() => svc?.stop());

describe("head-only retraining", () => {
  it("embeds every image once; the second run on the same images takes all from the cache", async () => {
    const { version: champion } = await trainToVersion(client, svc.db, { mode: "FROM_SCRATCH", epochs: 2 });
    expect(champion.status).toBe("CHAMPION");

    const first = await trainToVersion(client, svc.db, { mode: "HEAD_ONLY", epochs: 3, autoPromote: false });
    const firstProgress = trainingProgressSchema.parse(first.run.progress);
    expect(firstProgress.embeddingCache).toEqual({ hits: 0, misses: images });
    expect(engine.embedded).toBe(images);
    expect(first.version.parentId).toBe(champion.id);
    expect(firstProgress.parentModelVersionId).toBe(champion.id);
    expect(firstProgress.history?.map((e) => e.epoch)).toEqual([1, 2, 3]);
    // the candidate was judged against the champion on the same (cached) test embeddings
    const metrics = first.version.metrics as {
      test: { count: number } | null;
      champion: { id: string } | null;
    };
    expect(metrics.test?.count).toBeGreaterThan(0);
    expect(metrics.champion?.id).toBe(champion.id);
    const chunks = await svc.db.embeddingChunk.findMany();
    expect(chunks.reduce((n, c) => n + c.count, 0)).toBe(images);
    expect(await svc.db.storedObject.count({ where: { kind: "EMBEDDINGS" } })).toBe(chunks.length);

    const evaluations = engine.evaluations;
    const second = await trainToVersion(client, svc.db, { mode: "HEAD_ONLY", epochs: 2, autoPromote: false });
    expect(trainingProgressSchema.parse(second.run.progress).embeddingCache).toEqual({
      hits: images,
      misses: 0,
    });
    // not a single image through the backbone: neither to train nor to evaluate candidate and champion
    expect(engine.embedded).toBe(images);
    expect(engine.evaluations).toBe(evaluations);
    expect(await svc.db.embeddingChunk.count()).toBe(chunks.length);
  });

  it("writes thousands of embeddings as bounded chunks and reads them all back", async () => {
    const deps = { db: svc.db, storage: svc.service.deps.storage };
    const cache = await openEmbeddingCache(deps, "test-namespace", 3);
    const count = chunkEntries * 2 + 5;
    for (let i = 0; i < count; i++) cache.add(`image-${i}`, Float32Array.of(i, i + 0.5, -i));
    expect(await cache.flush()).toBe(3);
    expect(await cache.flush()).toBe(0);
    const rows = await svc.db.embeddingChunk.findMany({ where: { namespace: "test-namespace" } });
    expect(rows.map((r) => r.count).sort((a, b) => a - b)).toEqual([5, chunkEntries, chunkEntries]);

    const again = await openEmbeddingCache(deps, "test-namespace", 3);
    expect(Array.from(again.get(`image-${count - 1}`)!)).toEqual([count - 1, count - 0.5, -(count - 1)]);
    expect(again.get("image-7")).toEqual(Float32Array.of(7, 7.5, -7));
    // another size is another cache
    expect((await openEmbeddingCache(deps, "test-namespace", 4)).get("image-7")).toBeUndefined();
    // a chunk whose bytes disagree with its header is refused
    const bytes = encodeChunk(2, [["a", Float32Array.of(1, 2)]]);
    expect(decodeChunk(bytes).entries[0]![1]).toEqual(Float32Array.of(1, 2));
    expect(() => decodeChunk(bytes.subarray(0, bytes.length - 4))).toThrow(/header says/);
  });
});
