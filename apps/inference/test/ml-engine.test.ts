// The real models (@cxr/ml, WebAssembly backend) through the service: a small compact CNN trained on phantoms,
// promoted by the gate, then predictions with Grad-CAM and on-demand explanations, without tensor leaks.
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "@cxr/ml";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createInferenceClient, type InferenceClient } from "@cxr/inference-api/client";
import { runDemoJob } from "../src/demo/seed-demo";
import { createMlEngine } from "../src/engine/ml-engine";
import { queueNames } from "../src/queue/boss";
import { until } from "./fixtures/replica-process";
import { startTestService, TOKEN, type TestService } from "./fixtures/service";

let svc: TestService;
let client: InferenceClient;

beforeAll(async () => {
  await initBackend("wasm");
  svc = await startTestService(inject("testDatabaseAdminUrl"), {
    engine: createMlEngine({ baldSamples: 4, bootstrapIterations: 20 }),
  });
  client = createInferenceClient({ url: svc.url, token: TOKEN });
}, 120_000);
afterAll(() => svc?.stop());

describe("with the real ml engine", () => {
  it("trains a compact model on phantoms, promotes it, predicts with Grad-CAM and explains on demand", async () => {
    // enough patients that the seeded patient split always leaves some in the locked TEST split (an empty
    // test split cannot pass the gate, and the first model would stay a candidate)
    const { runId } = await runDemoJob(svc.service.deps, { count: 48, epochs: 2, size: 96 });
    await until(async () => {
      const run = await svc.db.trainingRun.findUniqueOrThrow({ where: { id: runId! } });
      if (run.status === "FAILED") throw new Error(run.error ?? "failed");
      return run.status === "SUCCEEDED";
    }, 150_000);
    const version = await svc.db.modelVersion.findFirstOrThrow({ where: { trainingRunId: runId! } });
    expect(version.status).toBe("CHAMPION");
    // the labelled lesion phantoms came with their outlines, as annotations of their import reads without an
    // author, and those outlines guided training
    const outlined = await svc.db.annotation.findMany({
      where: { authorId: null, read: { is: { source: "IMPORT" } } },
      select: { imageId: true, shape: true, labelClass: { select: { key: true } } },
    });
    expect(outlined.length).toBeGreaterThan(0);
    expect(new Set(outlined.map((a) => a.shape))).toEqual(new Set(["POLYGON"]));
    expect(new Set(outlined.map((a) => a.labelClass?.key))).toEqual(new Set(["pneumonia", "covid-19"]));
    const run = await svc.db.trainingRun.findUniqueOrThrow({ where: { id: runId! } });
    const guided = (run.progress as { roiGuidedImages?: number }).roiGuidedImages ?? 0;
    expect(guided).toBeGreaterThan(0);
    expect(guided).toBeLessThanOrEqual(new Set(outlined.map((a) => a.imageId)).size);
    expect(version.classKeys).toEqual(["normal", "pneumonia", "covid-19"]);
    expect(version.targetLayer.length).toBeGreaterThan(0);
    const metrics = version.metrics as {
      test: { count: number; perClass: Record<string, { recall: number }> };
    };
    expect(metrics.test.count).toBeGreaterThan(0);

    const image = await svc.db.image.findFirstOrThrow({ orderBy: { createdAt: "asc" } });
    const result = await client.predict.mutate({ imageIds: [image.id], gradcam: "all" });
    const item = result.items[0]!;
    expect(item.status).toBe("done");
    if (item.status !== "done") return;
    const probs = item.prediction.probabilities;
    expect(probs.map((p) => p.classKey)).toEqual(["normal", "pneumonia", "covid-19", "lung-opacity"]);
    expect(probs[3]!.probability).toBe(0); // a class the model does not know
    expect(probs.reduce((a, p) => a + p.probability, 0)).toBeCloseTo(1, 4);
    expect(item.prediction.bald).not.toBeNull();
    expect(item.prediction.gradcams.map((g) => g.classKey).sort()).toEqual([
      "covid-19",
      "normal",
      "pneumonia",
    ]);
    expect(item.prediction.gradcams[0]).toMatchObject({
      width: version.inputSize,
      height: version.inputSize,
    });

    const explained = await client.explain.mutate({ imageId: image.id, classKey: "pneumonia" });
    expect(explained.map?.mapSha256).toBe(
      item.prediction.gradcams.find((g) => g.classKey === "pneumonia")?.mapSha256,
    );

    // tensors stay flat across repeated work (the champion is loaded once and kept). The promotion re-scores
    // every unread image in the background, in this process: wait until it has finished, or its batches would
    // hold tensors at one count and not the other
    await untilBackgroundIdle(version.id);
    const others = await svc.db.image.findMany({
      where: { id: { not: image.id } },
      take: 4,
      select: { id: true },
    });
    await client.predict.mutate({ imageIds: [others[0]!.id], modelVersionId: version.id });
    const before = tf.memory().numTensors;
    await client.predict.mutate({
      imageIds: others.slice(1).map((o) => o.id),
      modelVersionId: version.id,
      gradcam: "all",
    });
    await client.explain.mutate({ imageId: others[1]!.id, classKey: "normal" });
    // no growth: a leak adds tensors
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
  }, 240_000);
});

/** Every unread image scored by the champion, and no prediction, explanation or re-scoring job queued or running. */
async function untilBackgroundIdle(championId: string): Promise<void> {
  const progress = async () => {
    const p = await client.models.rescoreProgress.query({ labelSet: "cxr-4class" });
    return p.champion?.id === championId && p.scored === p.unreviewed;
  };
  const queues = [queueNames.predict, queueNames.explain, queueNames.rescore];
  // `before: "completed"` counts the queued, retried and active jobs
  const idle = async () =>
    (
      await Promise.all(queues.map((q) => svc.service.deps.queue.getQueueSize(q, { before: "completed" })))
    ).every((n) => n === 0);
  await until(async () => (await progress()) && (await idle()), 120_000);
}
