// Progress within an epoch over HTTP against a real PostgreSQL: the engine's batch reports reach the run's
// progress (epoch under way, step of steps) with an ETA from the batch rate, through the progress subscription.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createInferenceClient, type InferenceClient } from "@cxr/inference-api/client";
import type { RunView } from "@cxr/inference-api";
import { batchClock } from "../src/training/run-training";
import { createFakeEngine } from "./fixtures/fake-engine";
import { importImages, startTestService, TOKEN, type TestService } from "./fixtures/service";
import { withBatches } from "./fixtures/stepping-engine";

let svc: TestService;
let client: InferenceClient;

beforeAll(async () => {
  // batches 400 ms apart, so the once-a-second batch writes land inside epochs and the subscription sees them
  const engine = withBatches(createFakeEngine(), { stepsPerEpoch: 3, stepMs: 400 });
  svc = await startTestService(inject("testDatabaseAdminUrl"), { engine });
  client = createInferenceClient({ url: svc.url, token: TOKEN });
  await importImages(svc.db, svc.storageDir, 16);
});
afterAll(() => svc?.stop());

async function follow(id: string): Promise<RunView[]> {
  const seen: RunView[] = [];
  await new Promise<void>((resolve, reject) => {
    const sub = client.training.progress.subscribe(
      { id },
      {
        onData: (view) => {
          seen.push(view);
          if (["SUCCEEDED", "FAILED", "CANCELLED", "INTERRUPTED"].includes(view.status)) {
            sub.unsubscribe();
            resolve();
          }
        },
        onError: reject,
      },
    );
  });
  return seen;
}

describe("progress within an epoch", () => {
  it("streams the batch under way with an ETA from the batch rate", async () => {
    const run = await client.training.start.mutate({
      labelSet: "cxr-4class",
      mode: "FROM_SCRATCH",
      epochs: 2,
    });
    const seen = await follow(run.id);
    expect(seen.at(-1)?.status).toBe("SUCCEEDED");
    const batches = seen.flatMap((v) => (v.progress?.batch ? [{ ...v.progress.batch, view: v }] : []));
    // a step strictly inside an epoch (neither its last batch nor an epoch's end)
    const inside = batches.find((b) => b.step < b.stepsPerEpoch);
    expect(inside).toBeDefined();
    expect(inside!.stepsPerEpoch).toBe(3);
    expect(inside!.view.status).toBe("RUNNING");
    expect(inside!.view.progress?.phase).toBe("training");
    // the epoch under way is one past the finished ones
    expect(inside!.epoch).toBe(inside!.view.progress!.epoch + 1);
    // epoch 2's first batch: 3 batches at ~0.4 s since the first one, 2 left, so about a second
    const second = batches.find((b) => b.epoch === 2 && b.step < 3);
    expect(second).toBeDefined();
    expect(second!.view.progress?.etaSeconds).toBeGreaterThanOrEqual(0);
    expect(second!.view.progress?.etaSeconds).toBeLessThanOrEqual(3);
  });
});

describe("the batch clock", () => {
  it("has no ETA from one batch, then times the batches left of every planned epoch", () => {
    let now = 10_000;
    const clock = batchClock(3, () => now);
    expect(clock.eta({ epoch: 1, step: 1, stepsPerEpoch: 10 })).toBeUndefined();
    now += 4_000;
    // 4 batches in 4 s: 1 s each; 30 planned, 5 done, 25 left
    expect(clock.eta({ epoch: 1, step: 5, stepsPerEpoch: 10 })).toBe(25);
    now += 6_000;
    expect(clock.eta({ epoch: 2, step: 1, stepsPerEpoch: 10 })).toBe(19);
    expect(clock.eta({ epoch: 3, step: 10, stepsPerEpoch: 10 })).toBe(0);
  });
});
