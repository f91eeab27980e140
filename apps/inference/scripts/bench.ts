// Prediction latency (one image, request to stored result) and batch throughput through the real service:
// HTTP, queue, workers, storage and PostgreSQL. Prints one JSON object.
//   npm run bench -w @cxr/inference -- [--images 40] [--batch 32] [--engine ml|fake] [--concurrency 1]
//     [--arch compact|vgg16|densenet121|resnet50]
// The compact model is trained through the service (one epoch); a transfer architecture's version is its
// frozen backbone (random weights: speed does not depend on them) with a head trained by the service's engine for
// one epoch, registered beside it. Where the backbone runs (ONNX Runtime or tfjs) follows ML_ONNX, so
// `ML_ONNX=off` against the default shows the end-to-end gain.
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { seed } from "@cxr/db/seed";
import { createTestDatabase, startTestServer } from "@cxr/db/testing";
import { prepareImage } from "@cxr/imaging";
import { LocalStorage } from "@cxr/storage";
import { loadLabelSet, storeImage } from "@cxr/ingest";
import { backboneEngine, initBackend, type BackendPreference } from "@cxr/ml";
import * as tf from "@tensorflow/tfjs";
import { createInferenceClient } from "@cxr/inference-api/client";
import { createMlEngine } from "../src/engine/ml-engine";
import type { Architecture, LabelledImage, MlEngine } from "../src/engine/types";
import { architectureToDb } from "../src/models/registry";
import { loadMaster } from "../src/storage/images";
import { promotionGateSchema } from "../src/evaluation/gate";
import { createInferenceServer } from "../src/server";
import { startService } from "../src/service";
import { startTraining } from "../src/training/start";

const { values } = parseArgs({
  options: {
    images: { type: "string", default: "40" },
    batch: { type: "string", default: "32" },
    singles: { type: "string", default: "8" },
    engine: { type: "string", default: "ml" },
    backend: { type: "string", default: "auto" },
    concurrency: { type: "string", default: "1" },
    epochs: { type: "string", default: "1" },
    arch: { type: "string", default: "compact" },
  },
});
const architectures = ["compact", "vgg16", "densenet121", "resnet50"] as const;
const arch = values.arch as Architecture;
if (!architectures.includes(arch)) {
  console.error(`--arch must be one of ${architectures.join(", ")}`);
  process.exit(1);
}
const count = Number(values.images);
const batch = Math.min(Number(values.batch), count);
const singles = Math.min(Number(values.singles), count - batch);
if (!(count > 0 && batch > 0 && singles >= 0)) {
  console.error("--images must exceed --batch, and all must be positive numbers");
  process.exit(1);
}

const backend = await initBackend(values.backend as BackendPreference);
let engine: MlEngine;
if (values.engine === "fake") {
  // queue, HTTP, storage and database overhead only: the model is a stand-in that costs nothing
  const { createFakeEngine } = await import("../test/fixtures/fake-engine");
  engine = createFakeEngine();
} else {
  engine = createMlEngine();
}

const server = await startTestServer();
const database = await createTestDatabase(server.adminUrl);
const dir = await mkdtemp(path.join(os.tmpdir(), "cxr-bench-"));
const TOKEN = "bench-token-0123456789abcdef";
try {
  await seed(database.db, []);
  const storage = new LocalStorage(path.join(dir, "objects"));
  const labelSet = await loadLabelSet(database.db, "cxr-4class");
  const ids: string[] = [];
  const classKeys: string[] = [];
  let n = 0;
  for await (const phantom of engine.phantoms({ count, seed: 3, size: 256 })) {
    const outcome = await storeImage(
      { db: database.db, storage },
      {
        prepared: await prepareImage(phantom.png, `bench-${n}.png`),
        patient: { source: "SYNTHETIC", externalId: phantom.patientId },
        study: { key: `bench-${phantom.patientId}` },
        image: { source: "SYNTHETIC", modality: "DX" },
        label: { labelSetId: labelSet.id, classId: labelSet.classes.get(phantom.label)! },
      },
    );
    ids.push(...outcome.imageIds);
    classKeys.push(...outcome.imageIds.map(() => phantom.label));
    n++;
  }
  /** A transfer architecture's version: its frozen backbone and a head trained for one epoch by the engine. */
  const transferVersion = async (architecture: Architecture, classes: readonly string[]) => {
    const rows = await database.db.image.findMany({
      where: { id: { in: ids } },
      select: { id: true, masterSha256: true },
    });
    const byId = new Map(rows.map((r) => [r.id, r]));
    const train: LabelledImage[] = [];
    for (const [i, id] of ids.entries()) {
      const row = byId.get(id);
      const classKey = classKeys[i] as string;
      if (row && classes.includes(classKey))
        train.push({ image: await loadMaster(storage, row), classKey, patientId: `p${i}` });
    }
    const outDir = path.join(dir, "models", `bench-${architecture}`);
    const result = await engine.train({
      architecture,
      mode: "head",
      classes,
      train,
      validation: [],
      epochs: 1,
      outDir,
    });
    return { ...result, dir: outDir };
  };
  const service = await startService({
    db: database.db,
    storage,
    engine,
    config: {
      modelsDir: path.join(dir, "models"),
      workerId: "bench",
      concurrency: Number(values.concurrency),
      batchSize: 8,
      jobTimeoutSeconds: 600,
      waitTimeoutMs: 600_000,
      gate: promotionGateSchema.parse({}),
    },
    queue: { databaseUrl: database.url, maintenanceSeconds: 30, pollingSeconds: 0.5 },
  });
  const http = createInferenceServer({ token: TOKEN, backend, deps: service.deps });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const client = createInferenceClient({
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    token: TOKEN,
  });

  // a model to measure: trained here (tiny), then used by explicit version so no background rescore competes
  const trainStarted = performance.now();
  const run = await startTraining(service.deps, {
    labelSet: "cxr-4class",
    epochs: Number(values.epochs),
    labelSources: ["IMPORTED"],
  });
  service.deps.wake?.("train");
  let modelVersionId: string | null = null;
  while (!modelVersionId) {
    const row = await database.db.trainingRun.findUniqueOrThrow({
      where: { id: run.id },
      include: { modelVersion: true },
    });
    if (row.status === "FAILED") throw new Error(`training failed: ${row.error}`);
    modelVersionId = row.modelVersion?.id ?? null;
    await new Promise((r) => setTimeout(r, 200));
  }
  const trainSeconds = (performance.now() - trainStarted) / 1000;
  // wait for the rescore the promotion queued, so measurements run on an idle queue
  const rescored = async () =>
    (await database.db.prediction.count({ where: { modelVersionId: modelVersionId! } })) >= ids.length;
  while (!(await rescored())) await new Promise((r) => setTimeout(r, 200));
  // measure on a second version (same weights, not the champion): nothing is stored for it yet
  const champion = await database.db.modelVersion.findUniqueOrThrow({ where: { id: modelVersionId } });
  const measured = arch === "compact" ? null : await transferVersion(arch, champion.classKeys);
  const fresh = await database.db.modelVersion.create({
    data: {
      ...champion,
      id: undefined,
      version: champion.version + 1,
      status: "CANDIDATE",
      trainingRunId: null,
      promotedAt: null,
      metrics: undefined,
      history: undefined,
      name: `${champion.name} (bench)`,
      ...(measured
        ? {
            name: `${arch} (bench)`,
            architecture: architectureToDb[arch],
            storageUri: measured.dir,
            checksum: measured.checksum,
            inputSize: measured.inputSize,
            targetLayer: measured.targetLayer,
            classKeys: measured.classes,
          }
        : {}),
    },
  });
  let tensorsBefore = 0;
  const latencies: number[] = [];
  for (const id of ids.slice(0, singles)) {
    const t0 = performance.now();
    const result = await client.predict.mutate({
      imageIds: [id],
      modelVersionId: fresh.id,
      gradcam: "predicted",
    });
    if (result.items[0]?.status !== "done")
      throw new Error(`image ${id}: ${JSON.stringify(result.items[0])}`);
    latencies.push(performance.now() - t0);
    // counted once the version is loaded (its weights are tensors kept on purpose)
    if (latencies.length === 1) tensorsBefore = tf.memory().numTensors;
  }
  const batchIds = ids.slice(singles, singles + batch);
  const t0 = performance.now();
  const batchResult = await client.predict.mutate({
    imageIds: batchIds,
    modelVersionId: fresh.id,
    gradcam: "predicted",
  });
  const batchMs = performance.now() - t0;
  if (batchResult.items.some((i) => i.status !== "done"))
    throw new Error("some batch predictions did not finish");
  const stored = await database.db.prediction.findMany({
    where: { modelVersionId: fresh.id },
    select: { durationMs: true },
  });

  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0);
  console.log(
    JSON.stringify(
      {
        machine: {
          cpus: os.cpus().length,
          cpuModel: os.cpus()[0]?.model ?? "?",
          node: process.version,
          platform: `${os.platform()} ${os.arch()}`,
        },
        engine: values.engine,
        backend: backend.backend,
        arch,
        backboneEngine: values.engine === "fake" ? null : await backboneEngine(),
        loadAverage: os.loadavg(),
        concurrency: Number(values.concurrency),
        imageSize: values.engine === "fake" ? 32 : 256,
        trainSeconds: Number(trainSeconds.toFixed(2)),
        singleImage: {
          count: latencies.length,
          medianMs: pct(0.5),
          p90Ms: pct(0.9),
          minMs: Math.round(latencies[0] ?? 0),
        },
        batch: {
          images: batchIds.length,
          seconds: Number((batchMs / 1000).toFixed(3)),
          imagesPerSecond: Number(((batchIds.length * 1000) / batchMs).toFixed(2)),
        },
        modelMsPerImageMedian:
          stored.map((s) => s.durationMs ?? 0).sort((a, b) => a - b)[Math.floor(stored.length / 2)] ?? null,
        tensorsLeaked: tf.memory().numTensors - tensorsBefore,
        note: "latency: HTTP request to stored Prediction + Grad-CAM, through the queue; includes pg-boss fetch after a worker wake-up",
      },
      null,
      2,
    ),
  );
  http.closeAllConnections();
  http.close();
  await service.stop();
} finally {
  await database.close();
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
process.exit(0);
