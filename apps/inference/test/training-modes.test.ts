// Training modes over HTTP against a real PostgreSQL: a fine-tune starts from the champion's weights (loaded through
// its checksum) and records it as the parent; without a champion, or with one of another architecture, fine-tuning
// is refused at start; the locked TEST patients stay where they were and never train.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createInferenceClient, type InferenceClient } from "@cxr/inference-api/client";
import { trainingProgressSchema } from "@cxr/inference-api";
import { createFakeEngine, fakeWeightsDigest } from "./fixtures/fake-engine";
import { importImages, startTestService, TOKEN, type TestService } from "./fixtures/service";
import { patientsBySplit, trainToVersion } from "./fixtures/training";
import { failure } from "./helpers";

let svc: TestService;
let client: InferenceClient;
const engine = createFakeEngine();

beforeAll(async () => {
  svc = await startTestService(inject("testDatabaseAdminUrl"), { engine });
  client = createInferenceClient({ url: svc.url, token: TOKEN });
  await importImages(svc.db, svc.storageDir, 24);
});
afterAll(() => svc?.stop());

describe("fine-tuning from the champion", () => {
  it("is refused at start without a champion, naming why and suggesting FROM_SCRATCH", async () => {
    for (const mode of ["FULL_FINE_TUNE", "HEAD_ONLY"] as const) {
      const error = await failure(client.training.start.mutate({ labelSet: "cxr-4class", mode }));
      expect(error.data?.code).toBe("PRECONDITION_FAILED");
      expect(error.message).toMatch(/champion.*none yet.*FROM_SCRATCH/);
    }
    expect(await svc.db.trainingRun.count()).toBe(0);
  });

  it("starts from the champion's weights, records it as parent, and keeps the locked TEST patients", async () => {
    const { version: champion } = await trainToVersion(client, svc.db, { mode: "FROM_SCRATCH", epochs: 3 });
    expect(champion.status).toBe("CHAMPION");
    const before = await patientsBySplit(svc.db);
    expect(before.TEST.length).toBeGreaterThan(0);

    // another architecture than the champion's: refused, nothing queued
    const runs = await svc.db.trainingRun.count();
    const other = await failure(
      client.training.start.mutate({ labelSet: "cxr-4class", mode: "FULL_FINE_TUNE", architecture: "vgg16" }),
    );
    expect(other.data?.code).toBe("PRECONDITION_FAILED");
    expect(other.message).toMatch(/COMPACT_CNN model, not VGG16.*FROM_SCRATCH/);
    expect(await svc.db.trainingRun.count()).toBe(runs);

    // more patients arrive after the champion: they get a split, the locked ones keep theirs
    await importImages(svc.db, svc.storageDir, 12, { offset: 500 });
    const { run, version } = await trainToVersion(client, svc.db, {
      mode: "FULL_FINE_TUNE",
      epochs: 2,
      batchSize: 16,
      roiWeight: 0.5,
    });
    const request = engine.trainRequests.at(-1)!;
    expect(request.parent).toEqual({ dir: champion.storageUri, checksum: champion.checksum });
    expect(request).toMatchObject({ mode: "full", batchSize: 16, roiWeight: 0.5 });
    // the weights training started from are the champion's
    const champions = await fakeWeightsDigest(champion.storageUri);
    const progress = trainingProgressSchema.parse(run.progress);
    expect(version.parentId).toBe(champion.id);
    expect(progress.parentModelVersionId).toBe(champion.id);
    expect(progress.history?.map((e) => e.epoch)).toEqual([1, 2]);
    expect(progress.history?.every((e) => typeof e.learningRate === "number")).toBe(true);
    expect(engine.trainRequests.at(-1)).toBe(request);
    expect(
      (await engine.train({ ...request, outDir: `${svc.modelsDir}/.probe`, onEpoch: undefined }))
        .initialWeightsDigest,
    ).toBe(champions);

    const after = await patientsBySplit(svc.db);
    expect(after.TEST).toEqual(expect.arrayContaining(before.TEST));
    for (const id of before.TRAIN) expect(after.TRAIN).toContain(id);
    const trainedOn = new Set([...request.train, ...request.validation].map((e) => e.patientId));
    expect(before.TEST.filter((id) => trainedOn.has(id))).toEqual([]);
    expect(after.TEST.filter((id) => trainedOn.has(id))).toEqual([]);
  });

  it("a run from scratch names no parent weights", async () => {
    const { run } = await trainToVersion(client, svc.db, { mode: "FROM_SCRATCH", epochs: 1 });
    expect(trainingProgressSchema.parse(run.progress).parentModelVersionId).toBeNull();
    expect(engine.trainRequests.at(-1)?.parent).toBeUndefined();
  });
});
