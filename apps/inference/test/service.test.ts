// The service over HTTP against a real PostgreSQL: predict, explain, the registry and training.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createInferenceClient, type InferenceClient } from "@cxr/inference-api/client";
import { modelMetricsSchema } from "@cxr/inference-api";
import { holdRunLease, markStaleRuns } from "../src/training/stale";
import { createFakeEngine } from "./fixtures/fake-engine";
import { until } from "./fixtures/replica-process";
import { importImages, startTestService, TOKEN, type TestService } from "./fixtures/service";
import { codeOf } from "./helpers";

let svc: TestService;
let client: InferenceClient;
let imageIds: string[];
let adminId: string;

beforeAll(async () => {
  // epochs take a moment, so the progress subscription sees them one by one
  svc = await startTestService(inject("testDatabaseAdminUrl"), {
    engine: createFakeEngine({ epochMs: 150 }),
  });
  client = createInferenceClient({ url: svc.url, token: TOKEN });
  imageIds = await importImages(svc.db, svc.storageDir, 24);
  adminId = (await svc.db.user.create({ data: { email: "admin@test", name: "Admin", role: "ADMIN" } })).id;
});
afterAll(() => svc?.stop());

async function trainAndWait(input: Parameters<InferenceClient["training"]["start"]["mutate"]>[0]) {
  const run = await client.training.start.mutate(input);
  const seen: { status: string; epoch: number }[] = [];
  await new Promise<void>((resolve, reject) => {
    const sub = client.training.progress.subscribe(
      { id: run.id },
      {
        onData: (view) => {
          seen.push({ status: view.status, epoch: view.currentEpoch });
          if (["SUCCEEDED", "FAILED", "CANCELLED", "INTERRUPTED"].includes(view.status)) {
            sub.unsubscribe();
            resolve();
          }
        },
        onError: reject,
      },
    );
  });
  return {
    run: await svc.db.trainingRun.findUniqueOrThrow({
      where: { id: run.id },
      include: { modelVersion: true },
    }),
    seen,
  };
}

describe("inference service", () => {
  it("refuses every new procedure without the right token", async () => {
    const anonymous = createInferenceClient({ url: svc.url, token: "wrong-token-0123456789" });
    expect(await codeOf(anonymous.models.list.query())).toBe("UNAUTHORIZED");
    expect(await codeOf(anonymous.predict.mutate({ imageIds: [imageIds[0]!] }))).toBe("UNAUTHORIZED");
    expect(await codeOf(anonymous.training.start.mutate({ labelSet: "cxr-4class" }))).toBe("UNAUTHORIZED");
    const res = await fetch(
      `${svc.url}/trpc/training.progress?input=${encodeURIComponent(JSON.stringify({ json: { id: "x" } }))}`,
      {
        headers: { accept: "text/event-stream" },
      },
    );
    expect(await res.text()).toContain("UNAUTHORIZED");
    expect(await svc.db.trainingRun.count()).toBe(0);
  });

  it("says clearly that there is no model before the first training", async () => {
    expect(await codeOf(client.predict.mutate({ imageIds: [imageIds[0]!] }))).toBe("PRECONDITION_FAILED");
  });

  let firstModelId = "";
  it("trains, streams progress, evaluates on the locked test split and promotes the first model", async () => {
    const { run, seen } = await trainAndWait({
      labelSet: "cxr-4class",
      epochs: 4,
      labelSources: ["IMPORTED"],
    });
    expect(run.status, run.error ?? "").toBe("SUCCEEDED");
    expect(seen.at(-1)?.status).toBe("SUCCEEDED");
    expect(new Set(seen.map((s) => s.epoch)).size).toBeGreaterThan(2);
    const version = run.modelVersion!;
    expect(version.status).toBe("CHAMPION");
    expect(version.version).toBe(1);
    expect(version.checksum).toMatch(/^[0-9a-f]{64}$/);
    // evaluated on TEST patients only, which exist and were never trained on
    const metrics = version.metrics as {
      test: { count: number; accuracy: number };
      gate: { passed: boolean };
    };
    const testPatients = await svc.db.patient.count({ where: { split: "TEST" } });
    expect(testPatients).toBeGreaterThan(0);
    expect(metrics.test.count).toBe(
      await svc.db.image.count({ where: { study: { patient: { split: "TEST" } } } }),
    );
    expect(metrics.gate.passed).toBe(true);
    // what it learned from: every training and validation image, by class and label source
    const data = modelMetricsSchema.parse(version.metrics).data ?? {};
    const learned = Object.values(data).flatMap((bySource) => Object.entries(bySource));
    expect(learned.every(([source]) => source === "IMPORTED")).toBe(true);
    expect(learned.reduce((n, [, cell]) => n + (cell?.images ?? 0), 0)).toBe(
      await svc.db.image.count({ where: { study: { patient: { split: { in: ["TRAIN", "VALIDATION"] } } } } }),
    );
    // imported labels only: the per-reader counts are recorded, and empty
    expect(modelMetricsSchema.parse(version.metrics).readers).toEqual({});
    const shown = await client.models.get.query({ id: version.id });
    expect(shown.training).toMatchObject({ mode: run.mode, labelSources: ["IMPORTED"], epochs: 4 });
    firstModelId = version.id;
    const listed = await client.models.list.query({ labelSet: "cxr-4class" });
    expect(listed.map((m) => [m.id, m.status])).toEqual([[version.id, "CHAMPION"]]);
    expect(await svc.db.auditEvent.count({ where: { action: "model.promoted", entityId: version.id } })).toBe(
      1,
    );
  });

  it("predicts one image, stores it with its model version and Grad-CAM, and returns the stored one again", async () => {
    const first = await client.predict.mutate({ imageIds: [imageIds[1]!] });
    const item = first.items[0]!;
    expect(item.status).toBe("done");
    if (item.status !== "done") return;
    expect(item.prediction.modelVersionId).toBe(firstModelId);
    expect(item.prediction.probabilities.map((p) => p.classKey)).toEqual([
      "normal",
      "pneumonia",
      "covid-19",
      "lung-opacity",
    ]);
    expect(item.prediction.probabilities.reduce((a, p) => a + p.probability, 0)).toBeCloseTo(1, 5);
    expect(item.prediction.gradcams).toHaveLength(1);
    expect(item.prediction.gradcams[0]!.classKey).toBe(item.prediction.predictedClass);
    const map = item.prediction.gradcams[0]!;
    expect(await svc.service.deps.storage.has(map.mapSha256)).toBe(true);
    expect(await svc.db.storedObject.findUnique({ where: { sha256: map.mapSha256 } })).toMatchObject({
      kind: "GRADCAM",
    });

    // the promotion queued a rescore of every unreviewed image: let it finish, then nothing should run again
    await until(
      async () =>
        (await svc.db.prediction.count({ where: { modelVersionId: firstModelId } })) === imageIds.length,
    );
    const runs = svc.service.deps.stats.predictedImages;
    expect(runs).toBe(imageIds.length);
    const again = await client.predict.mutate({ imageIds: [imageIds[1]!] });
    expect(again.items[0]).toMatchObject({ status: "done", prediction: { id: item.prediction.id } });
    expect(svc.service.deps.stats.predictedImages).toBe(runs);
    expect(
      await svc.db.prediction.count({ where: { imageId: imageIds[1]!, modelVersionId: firstModelId } }),
    ).toBe(1);
  });

  it("predicts a batch, with maps for every class when asked", async () => {
    const batch = imageIds.slice(2, 8);
    const result = await client.predict.mutate({ imageIds: batch, gradcam: "all" });
    expect(result.items.map((i) => i.status)).toEqual(batch.map(() => "done"));
    for (const item of result.items)
      if (item.status === "done") expect(item.prediction.gradcams).toHaveLength(4);
    expect(await svc.db.gradCamMap.count({ where: { prediction: { imageId: { in: batch } } } })).toBe(24);
  });

  it("rejects unknown images and reports a broken one as failed", async () => {
    expect(await codeOf(client.predict.mutate({ imageIds: ["no-such-image"] }))).toBe("NOT_FOUND");
    const broken = imageIds[20]!;
    await svc.db.image.update({ where: { id: broken }, data: { masterSha256: "0".repeat(64) } });
    const result = await client.predict.mutate({ imageIds: [broken], modelVersionId: firstModelId });
    // the rescore job may have scored it before the bytes "broke"; then the stored prediction is returned
    if (result.items[0]!.status !== "done") {
      expect(result.items[0]).toMatchObject({ status: "failed" });
      expect(await svc.db.image.findUniqueOrThrow({ where: { id: broken } })).toMatchObject({
        status: "FAILED",
      });
    }
  });

  it("explains an image for any class and layer on demand, once", async () => {
    const a = await client.explain.mutate({ imageId: imageIds[9]!, classKey: "covid-19" });
    expect(a.status).toBe("done");
    expect(a.map).toMatchObject({ classKey: "covid-19", targetLayer: "last_conv", width: 16, height: 16 });
    const b = await client.explain.mutate({
      imageId: imageIds[9]!,
      classKey: "normal",
      targetLayer: "other_layer",
    });
    expect(b.map).toMatchObject({ classKey: "normal", targetLayer: "other_layer" });
    expect(b.map!.mapSha256).not.toBe(a.map!.mapSha256);
    const again = await client.explain.mutate({ imageId: imageIds[9]!, classKey: "covid-19" });
    expect(again.map!.mapSha256).toBe(a.map!.mapSha256);
    const forCovid = await svc.db.gradCamMap.count({
      where: {
        prediction: { imageId: imageIds[9]! },
        targetLayer: "last_conv",
        labelClass: { key: "covid-19" },
      },
    });
    expect(forCovid).toBe(1);
  });

  let secondModelId = "";
  it("keeps a worse candidate waiting for a person, who can promote it; rollback returns to the former champion", async () => {
    const { run } = await trainAndWait({ labelSet: "cxr-4class", epochs: 1, labelSources: ["IMPORTED"] });
    expect(run.status).toBe("SUCCEEDED");
    const candidate = run.modelVersion!;
    const gate = (
      candidate.metrics as { gate: { passed: boolean; checks: { name: string; passed: boolean }[] } }
    ).gate;
    expect(gate.passed).toBe(false);
    expect(candidate.status).toBe("CANDIDATE");
    expect(candidate.parentId).toBe(firstModelId);
    secondModelId = candidate.id;

    const promoted = await client.models.promote.mutate({
      id: candidate.id,
      actorId: adminId,
      overrideGate: true,
      reason: "reviewed the figures",
    });
    expect(promoted).toMatchObject({
      champion: { id: candidate.id, status: "CHAMPION" },
      retired: firstModelId,
    });
    expect((await client.models.get.query({ id: firstModelId })).status).toBe("RETIRED");
    // new predictions use the new champion
    const p = await client.predict.mutate({ imageIds: [imageIds[11]!] });
    expect(p.modelVersionId).toBe(candidate.id);

    const back = await client.models.rollback.mutate({
      labelSet: "cxr-4class",
      actorId: adminId,
      reason: "worse on review",
    });
    expect(back).toMatchObject({ champion: { id: firstModelId, status: "CHAMPION" }, retired: candidate.id });
    expect(await svc.db.modelVersion.count({ where: { status: "CHAMPION" } })).toBe(1);
    expect(await svc.db.auditEvent.count({ where: { action: "model.rolled_back" } })).toBe(1);
    expect(await codeOf(client.models.promote.mutate({ id: firstModelId, actorId: adminId }))).toBe(
      "CONFLICT",
    );
  });

  it("verifies the checksum when loading a version", async () => {
    const { writeFile } = await import("node:fs/promises");
    const path = await import("node:path");
    const second = await svc.db.modelVersion.findUniqueOrThrow({ where: { id: secondModelId } });
    await writeFile(path.join(second.storageUri, "model.json"), '{"tampered":true}');
    await svc.service.deps.models.close();
    // a new image: the rescore during v2's short reign may have scored the older ones with it
    const [fresh] = await importImages(svc.db, svc.storageDir, 1, { offset: 500 });
    const result = await client.predict.mutate({
      imageIds: [fresh!],
      modelVersionId: secondModelId,
      wait: false,
    });
    expect(result.items[0]!.status).toBe("queued");
    await expect(svc.service.deps.models.use(secondModelId, async () => "loaded")).rejects.toThrow(
      /checksum/,
    );
    // the champion keeps serving
    const ok = await client.predict.mutate({ imageIds: [imageIds[13]!] });
    expect(ok).toMatchObject({ modelVersionId: firstModelId, items: [{ status: "done" }] });
  });

  it("cancels a run half-way: no model version is written", async () => {
    svc.service.deps.engine = createFakeEngine({ epochMs: 300 });
    const run = await client.training.start.mutate({
      labelSet: "cxr-4class",
      epochs: 30,
      labelSources: ["IMPORTED"],
    });
    const epochs: number[] = [];
    let cancelled: Promise<unknown> | undefined;
    const done = new Promise<string>((resolve, reject) => {
      const sub = client.training.progress.subscribe(
        { id: run.id },
        {
          onData: (view) => {
            epochs.push(view.currentEpoch);
            if (view.currentEpoch >= 2)
              cancelled ??= client.training.cancel.mutate({ id: run.id, actorId: adminId, reason: "test" });
            if (["SUCCEEDED", "FAILED", "CANCELLED"].includes(view.status)) {
              sub.unsubscribe();
              resolve(view.status);
            }
          },
          onError: reject,
        },
      );
    });
    expect(await done).toBe("CANCELLED");
    await cancelled;
    await new Promise((r) => setTimeout(r, 800)); // the worker notices at its next epoch
    expect(Math.max(...epochs)).toBeLessThan(30);
    expect(await svc.db.modelVersion.count({ where: { trainingRunId: run.id } })).toBe(0);
    const { readdir } = await import("node:fs/promises");
    expect((await readdir(svc.modelsDir)).filter((n) => n.startsWith(".tmp-"))).toEqual([]);
    expect(await codeOf(client.training.cancel.mutate({ id: run.id, actorId: adminId }))).toBe("CONFLICT");
  });

  it("marks a run whose worker died INTERRUPTED, leaving live runs and the champion alone", async () => {
    const labelSet = await svc.db.labelSet.findUniqueOrThrow({ where: { name: "cxr-4class" } });
    const base = {
      labelSetId: labelSet.id,
      architecture: "COMPACT_CNN" as const,
      params: {},
      epochs: 5,
      status: "RUNNING" as const,
    };
    const dead = await svc.db.trainingRun.create({
      data: { ...base, heartbeatAt: new Date(Date.now() - 10 * 60_000) },
    });
    const live = await svc.db.trainingRun.create({ data: { ...base, heartbeatAt: new Date() } });
    // no heartbeat for long (a synchronous epoch), but its worker is alive and holds the run's lease
    const blocked = await svc.db.trainingRun.create({
      data: { ...base, heartbeatAt: new Date(Date.now() - 10 * 60_000) },
    });
    const lease = await holdRunLease(svc.databaseUrl, blocked.id);
    expect(await markStaleRuns(svc.db, 120_000)).toBe(1);
    expect((await svc.db.trainingRun.findUniqueOrThrow({ where: { id: blocked.id } })).status).toBe(
      "RUNNING",
    );
    // once its worker is gone (the lease's connection closed), it is stale too
    await lease.release();
    expect(await markStaleRuns(svc.db, 120_000)).toBe(1);
    expect((await svc.db.trainingRun.findUniqueOrThrow({ where: { id: blocked.id } })).status).toBe(
      "INTERRUPTED",
    );
    expect(await svc.db.trainingRun.findUniqueOrThrow({ where: { id: dead.id } })).toMatchObject({
      status: "INTERRUPTED",
    });
    expect(await svc.db.trainingRun.findUniqueOrThrow({ where: { id: live.id } })).toMatchObject({
      status: "RUNNING",
    });
    expect(
      await svc.db.modelVersion.count({ where: { trainingRunId: { in: [dead.id, live.id, blocked.id] } } }),
    ).toBe(0);
    await svc.db.trainingRun.update({ where: { id: live.id }, data: { status: "CANCELLED" } });
    expect((await client.models.list.query({ status: "CHAMPION" })).map((m) => m.id)).toEqual([firstModelId]);
  });
});
