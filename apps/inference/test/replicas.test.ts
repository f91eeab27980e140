// Several replicas against one database: a batch is split between them with no image predicted twice, and a
// replica killed in the middle of a batch leaves nothing half-done: another finishes every job exactly once.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase, type TestDatabase } from "@cxr/db/testing";
import { seed } from "@cxr/db/seed";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { createInferenceClient } from "@cxr/inference-api/client";
import { createFakeEngine } from "./fixtures/fake-engine";
import { importImages } from "./fixtures/service";
import { TOKEN } from "./fixtures/token";

const root = fileURLToPath(new URL("..", import.meta.url));
// tsx as a loader in the replica's own process (its CLI would add a parent process that SIGKILL misses)
const tsxLoader = createRequire(import.meta.url).resolve("tsx");

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

function startReplica(workerId: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ["--import", tsxLoader, "test/fixtures/replica.ts"], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? "",
      DATABASE_URL: database.url,
      STORAGE_DIR: path.join(dir, "objects"),
      MODELS_DIR: path.join(dir, "models"),
      WORKER_ID: workerId,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (c: Buffer) => {
      output += c.toString();
      const port = /ready (\d+)/.exec(output)?.[1];
      if (port) resolve(`http://127.0.0.1:${port}`);
    });
    child.on("exit", (code) => reject(new Error(`replica ${workerId} exited (${code}): ${output}`)));
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  return { child, ready, exited };
}

/** A model version written and registered directly (a candidate: no background rescore starts). */
async function registerModel(name: string): Promise<string> {
  const labelSet = await database.db.labelSet.findUniqueOrThrow({
    where: { name: "cxr-4class" },
    include: { classes: { orderBy: { index: "asc" } } },
  });
  const outDir = path.join(dir, "models", name);
  const { checksum } = await createFakeEngine().train({
    architecture: "compact",
    mode: "full",
    classes: labelSet.classes.map((c) => c.key),
    train: [],
    validation: [],
    epochs: 2,
    outDir,
  });
  const last = await database.db.modelVersion.count({ where: { labelSetId: labelSet.id } });
  const version = await database.db.modelVersion.create({
    data: {
      labelSetId: labelSet.id,
      version: last + 1,
      name,
      architecture: "COMPACT_CNN",
      inputSize: 16,
      targetLayer: "last_conv",
      classKeys: labelSet.classes.map((c) => c.key),
      storageUri: outDir,
      checksum,
    },
  });
  return version.id;
}

async function until(condition: () => Promise<boolean>, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 100));
  }
}

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
    const modelVersionId = await registerModel("two-replicas");
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
    const modelVersionId = await registerModel("restart");
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
