// Kill tests: a replica killed with SIGKILL during training, between a model's registration and its promotion,
// and in the middle of a prediction batch. After a restart nothing is out of step: no duplicate prediction or
// model version, the interrupted run marked INTERRUPTED, the champion either promoted or untouched.
import { execFileSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase, type TestDatabase } from "@cxr/db/testing";
import { seed } from "@cxr/db/seed";
import { createInferenceClient } from "@cxr/inference-api/client";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { markStaleRuns } from "../src/training/stale";
import { spawnReplica, until } from "./fixtures/replica-process";
import { importImages, registerFakeModel } from "./fixtures/service";
import { TOKEN } from "./fixtures/token";

let database: TestDatabase;
let dir: string;
const children: ChildProcess[] = [];
// a run whose worker is gone is marked INTERRUPTED by the next replica after this long without a heartbeat
const stale = { TRAINING_STALE_MS: "1000" };

beforeAll(async () => {
  database = await createTestDatabase(inject("testDatabaseAdminUrl"));
  await seed(database.db, []);
  dir = await mkdtemp(path.join(os.tmpdir(), "cxr-kill-"));
  await importImages(database.db, path.join(dir, "objects"), 12);
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});
afterAll(async () => {
  await database?.close();
  await rm(dir, { recursive: true, force: true });
});

function startReplica(workerId: string, env: Record<string, string> = {}) {
  const replica = spawnReplica({ databaseUrl: database.url, dir, workerId, env });
  children.push(replica.child);
  return replica;
}

async function kill(replica: ReturnType<typeof startReplica>): Promise<void> {
  replica.child.kill("SIGKILL");
  await replica.exited;
}

const runOf = (id: string) =>
  database.db.trainingRun.findUniqueOrThrow({ where: { id }, include: { modelVersion: true } });

async function settled(id: string) {
  const final = (status: string) => !["QUEUED", "RUNNING"].includes(status);
  await until(async () => final((await runOf(id)).status));
  return runOf(id);
}

/** The folders a run may have left under MODELS_DIR (its temporary one, or its published one). */
async function foldersOf(runId: string): Promise<string[]> {
  const models = path.join(dir, "models");
  const top = await readdir(models).catch(() => [] as string[]);
  const nested = await Promise.all(
    top.map(async (name) =>
      (await readdir(path.join(models, name)).catch(() => [] as string[])).map((n) => `${name}/${n}`),
    ),
  );
  return [...top, ...nested.flat()].filter((name) => name.includes(runId));
}

/** The training child processes (training/child.ts) a replica has started. */
function trainingChildrenOf(pid: number): number[] {
  const entry = fileURLToPath(new URL("../src/training/child.ts", import.meta.url));
  try {
    return execFileSync("pgrep", ["-P", String(pid), "-f", entry], { encoding: "utf8" })
      .trim()
      .split("\n")
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

/** Whether a process still runs: a zombie (dead, not yet reaped by whoever adopted it) does not. */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

describe("kill -9", () => {
  it("during training: the restarted service marks the run INTERRUPTED and writes no model version", async () => {
    const first = startReplica("kill-train-1", { FAKE_EPOCH_MS: "300", ...stale });
    const client = createInferenceClient({ url: await first.ready, token: TOKEN });
    const run = await client.training.start.mutate({ labelSet: "cxr-4class", epochs: 30 });
    await until(async () => (await runOf(run.id)).currentEpoch >= 2);
    await kill(first);
    expect((await runOf(run.id)).status).toBe("RUNNING");

    await new Promise((r) => setTimeout(r, 1100)); // past the stale timeout
    const second = startReplica("kill-train-2", stale);
    await second.ready;
    const after = await settled(run.id);
    expect(after.status).toBe("INTERRUPTED");
    expect(after.modelVersion).toBeNull();
    expect(await foldersOf(run.id)).toEqual([]);
    await kill(second);
  }, 90_000);

  it("between registration and promotion: the passing model is promoted with its registration or not at all", async () => {
    const first = startReplica("kill-register-1", { PAUSE_AT: "model-registered", ...stale });
    const client = createInferenceClient({ url: await first.ready, token: TOKEN });
    // no champion yet: the gate passes, so this model must become the champion
    const run = await client.training.start.mutate({ labelSet: "cxr-4class", epochs: 2 });
    await first.printed("paused at model-registered");
    await kill(first);

    await new Promise((r) => setTimeout(r, 1100));
    const second = startReplica("kill-register-2", stale);
    const client2 = createInferenceClient({ url: await second.ready, token: TOKEN });
    const after = await settled(run.id);
    // registration, gate verdict and promotion are one transaction: the kill rolled all of it back
    expect(await database.db.modelVersion.findMany({ where: { trainingRunId: run.id } })).toEqual([]);
    expect(after.status).toBe("INTERRUPTED");
    expect(await foldersOf(run.id)).toEqual([]);
    expect(await database.db.modelVersion.count({ where: { status: "CHAMPION" } })).toBe(0);

    // the restarted service trains the same again: v1, promoted, exactly one champion
    const retry = await client2.training.start.mutate({ labelSet: "cxr-4class", epochs: 2 });
    const done = await settled(retry.id);
    expect(done.status, done.error ?? "").toBe("SUCCEEDED");
    expect(done.modelVersion).toMatchObject({ version: 1, status: "CHAMPION" });
    expect(await database.db.modelVersion.count()).toBe(1);
    expect(await database.db.auditEvent.count({ where: { action: "model.promoted" } })).toBe(1);
    await kill(second);
  }, 90_000);

  it("during a prediction batch: the restarted service stores each prediction exactly once", async () => {
    const imageIds = await importImages(database.db, path.join(dir, "objects"), 6, {
      labelled: false,
      offset: 100,
    });
    const modelVersionId = await registerFakeModel(database.db, path.join(dir, "models"), "kill-predict");
    const env = { JOB_TIMEOUT_SECONDS: "3" };
    const first = startReplica("kill-predict-1", { ...env, PAUSE_AT: "predictions-written" });
    const client = createInferenceClient({ url: await first.ready, token: TOKEN });
    await client.predict.mutate({ imageIds, modelVersionId, wait: false });
    await first.printed("paused at predictions-written");
    await kill(first);
    // the batch's predictions were written in its transaction, which the kill rolled back
    expect(await database.db.prediction.count({ where: { modelVersionId } })).toBe(0);

    const second = startReplica("kill-predict-2", env);
    await second.ready;
    await until(
      async () => (await database.db.prediction.count({ where: { modelVersionId } })) === imageIds.length,
    );
    await new Promise((r) => setTimeout(r, 1500)); // a duplicate would be written by now
    const perImage = await database.db.prediction.groupBy({
      by: ["imageId"],
      where: { modelVersionId },
      _count: true,
    });
    expect(perImage).toHaveLength(imageIds.length);
    expect(perImage.every((p) => p._count === 1)).toBe(true);
    await kill(second);
  }, 90_000);

  it("of the service while its child process trains: the child goes too, the run ends INTERRUPTED with no model", async () => {
    const first = startReplica("kill-child-1", {
      TRAINING_ENGINE_MODULE: new URL("./fixtures/fake-training-engine.ts", import.meta.url).href,
      // the child's epochs hold its thread, as TensorFlow.js's kernels do; it reads the same storage
      FAKE_BLOCK_MS: "400",
      STORAGE_URL: path.join(dir, "objects"),
      ...stale,
    });
    const client = createInferenceClient({ url: await first.ready, token: TOKEN });
    const versions = await database.db.modelVersion.count();
    const run = await client.training.start.mutate({
      labelSet: "cxr-4class",
      mode: "FROM_SCRATCH",
      epochs: 30,
    });
    await until(async () => (await runOf(run.id)).currentEpoch >= 2);
    const trainers = trainingChildrenOf(first.child.pid!);
    expect(trainers).toHaveLength(1);
    const trainer = trainers[0]!;
    // the service alone, not its process group: the child must notice its parent is gone and stop by itself
    await kill(first);
    await until(async () => !running(trainer), 10_000);
    expect((await runOf(run.id)).status).toBe("RUNNING");

    await new Promise((r) => setTimeout(r, 1100)); // past the stale timeout
    const second = startReplica("kill-child-2", stale);
    await second.ready;
    const after = await settled(run.id);
    expect(after.status).toBe("INTERRUPTED");
    expect(after.modelVersion).toBeNull();
    expect(await database.db.modelVersion.count()).toBe(versions);
    expect(await foldersOf(run.id)).toEqual([]);
    await kill(second);
  }, 180_000);

  it("a live run whose epochs block the thread longer than the stale timeout is not marked INTERRUPTED", async () => {
    const replica = startReplica("kill-live-1", { FAKE_BLOCK_MS: "1500" });
    const client = createInferenceClient({ url: await replica.ready, token: TOKEN });
    const run = await client.training.start.mutate({ labelSet: "cxr-4class", epochs: 3 });
    await until(async () => (await runOf(run.id)).status === "RUNNING");
    // another replica's upkeep, with a stale timeout shorter than one epoch, checks all along
    let checks = 0;
    while (["QUEUED", "RUNNING"].includes((await runOf(run.id)).status)) {
      await markStaleRuns(database.db, 500);
      checks++;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(checks).toBeGreaterThan(5);
    const after = await runOf(run.id);
    expect(after.status, after.error ?? "").toBe("SUCCEEDED");
    expect(after.modelVersion).not.toBeNull();
    await kill(replica);
  }, 90_000);
});
