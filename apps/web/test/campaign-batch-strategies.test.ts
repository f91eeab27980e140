// Batch queue strategies through the campaign administration, over a real PostgreSQL and a real local object
// store: a DIVERSITY campaign is queued in k-center order over the embedding cache's vectors (the namespace that
// covers most images), an image without a cached embedding goes last and the campaign page counts it, and a
// weighted mix with no usable weight is refused before anything is created.
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { kCenterGreedy } from "@cxr/domain";
import { encodeGrey8Png } from "@cxr/imaging";
import { encodeChunk, LocalStorage } from "@cxr/storage";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { loadBatchSignals } from "~/server/services/campaigns/batch-signals";
import { callerAs, codeOf, sessionFor, useSeededDatabase } from "./helpers";

const t = useSeededDatabase();
const admin = () => callerAs(t.db, sessionFor(t.users.admin));
let labelSetId: string;
let imageIds: string[];
let storage: LocalStorage;
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
  storage = new LocalStorage(dir);
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

describe("CAM-ROI signals", () => {
  it("measure the map outside the image's own regions, else its nearest labelled neighbours'", async () => {
    const set = await t.db.labelSet.findUniqueOrThrow({
      where: { id: labelSetId },
      include: { classes: { orderBy: { index: "asc" } } },
    });
    const model = await t.db.modelVersion.create({
      data: {
        labelSetId,
        version: 77,
        name: "cam-roi",
        architecture: "COMPACT_CNN",
        inputSize: 224,
        targetLayer: "conv4",
        storageUri: "memory://cam-roi",
        checksum: "x",
      },
    });
    const classId = set.classes[1]!.id;
    // 4 x 4 maps: image 0's heat in the left half, image 1's in the right half; image 2 has no map
    const heat = (left: boolean) => Uint8Array.from({ length: 16 }, (_, i) => (i % 4 < 2 === left ? 255 : 0));
    for (const [n, left] of [
      [0, true],
      [1, false],
    ] as const) {
      const put = await storage.put(await encodeGrey8Png({ width: 4, height: 4, data: heat(left) }));
      const prediction = await t.db.prediction.create({
        data: {
          imageId: imageIds[n]!,
          modelVersionId: model.id,
          probabilities: [0.1, 0.7, 0.1, 0.1],
          predictedClassId: classId,
          confidence: 0.7,
        },
      });
      await t.db.gradCamMap.create({
        data: {
          predictionId: prediction.id,
          classId,
          targetLayer: "conv4",
          mapSha256: put.sha256,
          width: 4,
          height: 4,
        },
      });
    }
    // a reader's box over the left half of image 0 (image 1, its nearest labelled neighbour, has none)
    await t.db.annotation.create({
      data: {
        imageId: imageIds[0]!,
        authorId: t.users.radiologist.id,
        shape: "RECTANGLE",
        points: [
          [0, 0],
          [0.5, 1],
        ],
      },
    });
    const campaign = {
      id: "no-campaign",
      strategy: "CAM_ROI_DISAGREEMENT" as const,
      strategyWeights: null,
      labelSetId,
      modelVersionId: model.id,
    };
    const signals = await loadBatchSignals(t.db, storage, campaign, imageIds.slice(0, 3));
    expect(signals!.camOutside.get(imageIds[0]!)).toBeCloseTo(0, 2);
    expect(signals!.camOutside.get(imageIds[1]!)).toBeCloseTo(1, 2);
    expect(signals!.camOutside.has(imageIds[2]!)).toBe(false);
  });
});
