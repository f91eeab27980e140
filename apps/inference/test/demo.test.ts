// The first-start demo: phantoms imported, a model trained in the background, then predictions for all.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { queueDemo, runDemoJob } from "../src/demo/seed-demo";
import { until } from "./fixtures/replica-process";
import { startTestService, type TestService } from "./fixtures/service";

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService(inject("testDatabaseAdminUrl"));
});
afterAll(() => svc?.stop());

describe("demo seeding", () => {
  it("seeds an empty database once: patients, a trained champion, predictions with Grad-CAMs", async () => {
    const settings = { count: 30, epochs: 2 };
    const first = await runDemoJob(svc.service.deps, settings);
    expect(first.imported).toBe(30);
    expect(await svc.db.patient.count({ where: { source: "SYNTHETIC" } })).toBe(15);
    const labelled = await svc.db.read.count({ where: { source: "IMPORT" } });
    expect(labelled).toBeGreaterThan(0);
    expect(labelled).toBeLessThan(30);
    await until(async () => (await svc.db.modelVersion.count({ where: { status: "CHAMPION" } })) === 1);
    await until(async () => (await svc.db.prediction.count()) === 30);
    expect(await svc.db.gradCamMap.count()).toBe(30);
    expect(await svc.db.image.count({ where: { status: "READY" } })).toBe(30);
    // a later start (or a retried job) neither imports again nor trains again
    expect(await queueDemo(svc.service.deps)).toBeNull();
    const again = await runDemoJob(svc.service.deps, settings);
    expect(again).toEqual({ imported: 0, runId: first.runId });
    expect(await svc.db.trainingRun.count()).toBe(1);
  });
});
