// Batch queue strategies through the campaign administration, over a real PostgreSQL and a real local object
// store: a DIVERSITY campaign is queued in k-center order over the embedding cache's vectors (the namespace that
// covers most images), an image without a cached embedding goes last and the campaign page counts it, and a
// weighted mix with no usable weight is refused before anything is created.
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { kCenterGreedy } from "@cxr/domain";
import { encodeChunk, LocalStorage } from "@cxr/storage";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { callerAs, codeOf, sessionFor, useSeededDatabase } from "./helpers";

const t = useSeededDatabase();
const admin = () => callerAs(t.db, sessionFor(t.users.admin));
let labelSetId: string;
let imageIds: string[];
// 2-D embeddings: 0 and 1 near-duplicates, 2 far, 3 between; image 4 has none cached
const points = [
  [0, 0],
  [0.1, 0],
  [10, 0],
  [4, 0],
];

beforeAll(async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "cxr-web-batch-"));
  vi.stubEnv("STORAGE_URL", dir);
  vi.stubEnv("DATABASE_URL", t.appUrl);
  vi.stubEnv("NEXTAUTH_SECRET", "batch-strategies-secret-0123456789");
  vi.stubEnv("INFERENCE_TOKEN", "token");
  const storage = new LocalStorage(dir);
  labelSetId = (await t.db.labelSet.findUniqueOrThrow({ where: { name: "cxr-4class" } })).id;
  const patient = await t.db.patient.create({ data: { source: "SYNTHETIC", externalId: "batch" } });
  const study = await t.db.study.create({ data: { patientId: patient.id } });
  const rows = [0, 1, 2, 3, 4].map((n) => ({
    studyId: study.id,
    source: "SYNTHETIC" as const,
    modality: "DX" as const,
    status: "READY" as const,
    acquiredAt: new Date(Date.UTC(2020, 0, 1 + n)),
    originalSha256: `batch-${n}`,
    masterSha256: `master-${n}`,
    mimeType: "image/png",
    byteSize: 1,
  }));
  await t.db.image.createMany({ data: rows });
  const created = await t.db.image.findMany({ orderBy: { originalSha256: "asc" }, select: { id: true } });
  imageIds = created.map((i) => i.id);
  const chunk = async (namespace: string, entries: [string, Float32Array][]) => {
    const put = await storage.put(encodeChunk(2, entries));
    await t.db.embeddingChunk.create({
      data: { sha256: put.sha256, namespace, size: 2, count: entries.length },
    });
  };
  await chunk(
    "backbone-a",
    points.map((p, n) => [`master-${n}`, Float32Array.from(p)]),
  );
  // another backbone's cache covers one image only: not the one used
  await chunk("backbone-b", [["master-2", Float32Array.of(-50, -50)]]);
});

const form = (over: Record<string, unknown>) => ({
  name: `batch ${Math.random().toString(36).slice(2, 8)}`,
  labelSetId,
  task: "CLASSIFY" as const,
  readerIds: [t.users.radiologist.id],
  readsPerImage: 1,
  blinded: true,
  strategy: "DIVERSITY" as const,
  consensusRule: "MAJORITY" as const,
  selection: { limit: 100 },
  ...over,
});

describe("batch strategies", () => {
  it("queues a DIVERSITY campaign in k-center order, the image without an embedding last, and counts it", async () => {
    const { id } = await admin().campaigns.create(form({}));
    const rows = await t.db.assignment.findMany({
      where: { campaignId: id },
      orderBy: [{ priority: "desc" }, { assignedAt: "asc" }],
    });
    const kCenter = kCenterGreedy(points, 4).map((i) => imageIds[i]!);
    expect(rows.map((r) => r.imageId)).toEqual([...kCenter, imageIds[4]]);
    const page = await admin().campaigns.get({ id });
    expect(page.unranked).toBe(1);
    expect(page.images).toBe(5);
  });

  it("refuses a weighted mix whose weights are all 0, creating nothing", async () => {
    const before = await t.db.campaign.count();
    expect(
      await codeOf(
        admin().campaigns.create(form({ strategy: "WEIGHTED_MIX", strategyWeights: { ENTROPY: 0 } })),
      ),
    ).toBe("BAD_REQUEST");
    expect(await t.db.campaign.count()).toBe(before);
  });
});
