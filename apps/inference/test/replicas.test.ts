// Several replicas against one database: a batch is split between them with no image predicted twice, and a
// replica killed in the middle of a batch leaves nothing half-done: another finishes every job exactly once.
import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@cxr/db/testing";
import { seed } from "@cxr/db/seed";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { createInferenceClient } from "@cxr/inference-api/client";
import { spawnReplica, until } from "./fixtures/replica-process";
import { importImages, registerFakeModel } from "./fixtures/service";
import { TOKEN } from "./fixtures/token";

let database: TestDatabase;
let dir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase(inject("testDatabaseAdminUrl"));
  await seed(database.db, []);
  dir = await mkdtemp(path.join(os.tmpdir(), "cxr-replicas-"));
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});
afterAll(async () => {
  await database?.close();
  await rm(dir, { recursive: true, force: true });
});

const startReplica = (workerId: string, env: Record<string, string> = {}) => {
  const replica = spawnReplica({ databaseUrl: database.url, dir, workerId, env });
  children.push(replica.child);
  return replica;
};

async function predictJobs(
  modelVersionId: string,
): Promise<{ key: string; state: string; retry_count: number }[]> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ key: string; state: string; retry_count: number }>(
      `SELECT singleton_key AS key, state, retry_count FROM pgboss.job WHERE name = 'predict' AND data->>'modelVersionId' = $1`,
      [modelVersionId],
    );
    return rows;
  } finally {
    await client.end();
  }
}

describe("replicas", () => {
  it("two replicas split a batch between them and no image is predicted twice", async () => {
    const imageIds = await importImages(database.db, path.join(dir, "objects"), 30, { labelled: false });
    const modelVersionId = await registerFakeModel(database.db, path.join(dir, "models"), "two-replicas");
    const a = startReplica("replica-a", { FAKE_PREDICT_MS: "60" });
    const b = startReplica("replica-b", { FAKE_PREDICT_MS: "60" });
    const [urlA, urlB] = await Promise.all([a.ready, b.ready]);
    const clientA = createInferenceClient({ url: urlA, token: TOKEN });
    const clientB = createInferenceClient({ url: urlB, token: TOKEN });

    const queued = await clientA.predict.mutate({ imageIds, modelVersionId, wait: false });
    expect(queued.items.every((i) => i.status === "queued")).toBe(true);
    await until(
      async () => (await database.db.prediction.count({ where: { modelVersionId } })) === imageIds.length,
    );
    // asking again (on either replica) returns the stored results without running anything
    const again = await clientB.predict.mutate({ imageIds, modelVersionId });
    expect(again.items.every((i) => i.status === "done")).toBe(true);

    const [infoA, infoB] = await Promise.all([clientA.system.info.query(), clientB.system.info.query()]);
    expect(infoA.workerId).toBe("replica-a");
    expect(infoA.stats!.predictedImages).toBeGreaterThan(0);
    expect(infoB.stats!.predictedImages).toBeGreaterThan(0);
    expect(infoA.stats!.predictedImages + infoB.stats!.predictedImages).toBe(imageIds.length);
    const jobs = await predictJobs(modelVersionId);
    expect(jobs).toHaveLength(imageIds.length);
    expect(jobs.every((j) => j.state === "completed")).toBe(true);
  }, 90_000);

  it("a replica killed in the middle of a queued batch: another finishes every job exactly once", async () => {
    const imageIds = await importImages(database.db, path.join(dir, "objects"), 20, {
      labelled: false,
      offset: 100,
    });
    const modelVersionId = await registerFakeModel(database.db, path.join(dir, "models"), "restart");
    const env = { FAKE_PREDICT_MS: "150", JOB_TIMEOUT_SECONDS: "3" };
    const first = startReplica("replica-1", env);
    const client = createInferenceClient({ url: await first.ready, token: TOKEN });
    await client.predict.mutate({ imageIds, modelVersionId, wait: false });
    await until(async () => (await database.db.prediction.count({ where: { modelVersionId } })) >= 4);
    first.child.kill("SIGKILL");
    await first.exited;
    const storedBeforeRestart = await database.db.prediction.count({ where: { modelVersionId } });
    expect(storedBeforeRestart).toBeLessThan(imageIds.length);

    const second = startReplica("replica-2", env);
    const client2 = createInferenceClient({ url: await second.ready, token: TOKEN });
    await until(
      async () => (await database.db.prediction.count({ where: { modelVersionId } })) === imageIds.length,
    );
    await until(
      async () => (await predictJobs(modelVersionId)).every((j) => j.state === "completed"),
      15_000,
    );

    const jobs = await predictJobs(modelVersionId);
    expect(jobs).toHaveLength(imageIds.length);
    expect(new Set(jobs.map((j) => j.key)).size).toBe(imageIds.length);
    // the new replica ran exactly what was not stored: nothing twice, nothing lost
    const info = await client2.system.info.query();
    expect(info.stats!.predictedImages).toBe(imageIds.length - storedBeforeRestart);
    const perImage = await database.db.prediction.groupBy({
      by: ["imageId"],
      where: { modelVersionId },
      _count: true,
    });
    expect(perImage.every((p) => p._count === 1)).toBe(true);
    expect(perImage).toHaveLength(imageIds.length);
  }, 90_000);
});
