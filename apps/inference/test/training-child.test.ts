// Training in a child process, over HTTP against a real PostgreSQL: while the child's epochs block its thread (as
// TensorFlow.js's kernels do), the service answers health checks and predictions; cancel stops the child; a child
// killed with SIGKILL fails the run with a message naming the signal.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createInferenceClient, type InferenceClient } from "@cxr/inference-api/client";
import { trainingProgressSchema } from "@cxr/inference-api";
import { until } from "./fixtures/replica-process";
import { importImages, startTestService, TOKEN, type TestService } from "./fixtures/service";
import { settledRun, trainToVersion } from "./fixtures/training";

let svc: TestService;
let client: InferenceClient;
let unlabelled: string[];
let adminId: string;
const blockMs = 1500;

beforeAll(async () => {
  svc = await startTestService(inject("testDatabaseAdminUrl"), {
    config: {
      training: {
        engineModule: new URL("./fixtures/fake-training-engine.ts", import.meta.url).href,
        env: { FAKE_BLOCK_MS: String(blockMs) },
      },
    },
  });
  // the child finds the same storage folder as the service
  process.env.STORAGE_URL = svc.storageDir;
  client = createInferenceClient({ url: svc.url, token: TOKEN });
  await importImages(svc.db, svc.storageDir, 24);
  unlabelled = await importImages(svc.db, svc.storageDir, 2, { labelled: false, offset: 100 });
  adminId = (await svc.db.user.create({ data: { email: "admin@test", name: "Admin", role: "ADMIN" } })).id;
  await trainToVersion(client, svc.db, { mode: "FROM_SCRATCH", epochs: 1 });
}, 120_000);
afterAll(() => svc?.stop());

/** The training child processes of this (the service's) process. */
function trainingChildren(): number[] {
  const entry = fileURLToPath(new URL("../src/training/child.ts", import.meta.url));
  try {
    return execFileSync("pgrep", ["-P", String(process.pid), "-f", entry], { encoding: "utf8" })
      .trim()
      .split("\n")
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

async function runningEpoch(id: string, epoch: number) {
  await until(
    async () => (await svc.db.trainingRun.findUniqueOrThrow({ where: { id } })).currentEpoch >= epoch,
  );
}

const timed = async (call: () => Promise<unknown>) => {
  const started = performance.now();
  await call();
  return performance.now() - started;
};

describe("training in a child process", () => {
  it("keeps health and predictions answering while an epoch blocks the child's thread", async () => {
    const run = await client.training.start.mutate({
      labelSet: "cxr-4class",
      mode: "FULL_FINE_TUNE",
      epochs: 4,
    });
    await runningEpoch(run.id, 1);
    expect(trainingChildren()).toHaveLength(1);
    // the next epoch blocks the child for 1.5 s: every answer comes well within one epoch
    const health: number[] = [];
    for (let i = 0; i < 5; i++)
      health.push(await timed(() => fetch(`${svc.url}/health`).then((r) => r.json())));
    const predict = await timed(() => client.predict.mutate({ imageIds: unlabelled }));
    expect(Math.max(...health)).toBeLessThan(blockMs / 2);
    expect(predict).toBeLessThan(blockMs);
    expect((await svc.db.trainingRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("RUNNING");

    const done = await settledRun(svc.db, run.id);
    expect(done.status, done.error ?? "").toBe("SUCCEEDED");
    const progress = trainingProgressSchema.parse(done.progress);
    expect(progress.history?.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
    expect(done.modelVersion?.parentId).not.toBeNull();
    await until(async () => trainingChildren().length === 0, 5_000);
  });

  it("cancel stops the child mid-epoch; nothing is registered", async () => {
    const run = await client.training.start.mutate({ labelSet: "cxr-4class", epochs: 20 });
    await runningEpoch(run.id, 1);
    expect(trainingChildren()).toHaveLength(1);
    await client.training.cancel.mutate({ id: run.id, actorId: adminId, reason: "test" });
    // noticed by the next heartbeat, not at the end of the run
    await until(async () => trainingChildren().length === 0, 10_000);
    const after = await settledRun(svc.db, run.id);
    expect(after.status).toBe("CANCELLED");
    expect(after.currentEpoch).toBeLessThan(8);
    expect(after.modelVersion).toBeNull();
  });

  it("a child killed with SIGKILL fails the run, naming the signal", async () => {
    const run = await client.training.start.mutate({ labelSet: "cxr-4class", epochs: 20 });
    await runningEpoch(run.id, 1);
    const [pid] = trainingChildren();
    process.kill(pid!, "SIGKILL");
    const after = await settledRun(svc.db, run.id);
    expect(after.status).toBe("FAILED");
    expect(after.error).toMatch(/killed by SIGKILL/);
    expect(after.modelVersion).toBeNull();
    // the service goes on: the next run trains
    const next = await trainToVersion(client, svc.db, { mode: "FROM_SCRATCH", epochs: 1 });
    expect(next.run.status).toBe("SUCCEEDED");
  });
});
