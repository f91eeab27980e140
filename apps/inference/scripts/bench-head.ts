// Head-only retraining through the real service (HTTP start, queue, child process, storage, PostgreSQL, @cxr/ml):
// a compact champion trained on a few hundred phantoms, then N labelled phantoms imported through the normal import
// path, then two HEAD_ONLY runs on them. The first computes every embedding (its throughput, images/s); the second
// finds them all in the cache and is timed end to end, request to candidate registered. Prints one JSON object and
// saves it under bench/results/.
//   npm run bench:head -w @cxr/inference -- [--images 10000] [--champion-images 300] [--epochs 10] [--inline]
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { seed } from "@cxr/db/seed";
import { createTestDatabase, startTestServer } from "@cxr/db/testing";
import { prepareImage } from "@cxr/imaging";
import { createInferenceClient } from "@cxr/inference-api/client";
import { trainingProgressSchema, type TrainingProgress } from "@cxr/inference-api";
import { loadLabelSet, storeImage } from "@cxr/ingest";
import { initBackend, type BackendPreference } from "@cxr/ml";
import { LocalStorage } from "@cxr/storage";
import { createMlEngine } from "../src/engine/ml-engine";
import { promotionGateSchema } from "../src/evaluation/gate";
import { queueNames } from "../src/queue/boss";
import { createInferenceServer } from "../src/server";
import { startService } from "../src/service";
import { closeChildTrainers, warmChildReady, warmChildTrainer } from "../src/training/child-trainer";

const { values } = parseArgs({
  options: {
    images: { type: "string", default: "10000" },
    "champion-images": { type: "string", default: "300" },
    epochs: { type: "string", default: "10" },
    size: { type: "string", default: "64" },
    backend: { type: "string", default: "auto" },
    /** train in the service's own process instead of a child (to see what the child's start costs) */
    inline: { type: "boolean", default: false },
  },
});
const total = Number(values.images);
const championImages = Math.min(Number(values["champion-images"]), total);
const epochs = Number(values.epochs);
if (!(total > 0 && championImages > 0 && epochs > 0)) {
  console.error("--images, --champion-images and --epochs must be positive numbers");
  process.exit(1);
}

const backend = await initBackend(values.backend as BackendPreference);
const engine = createMlEngine({ baldSamples: 0 });
const pgServer = await startTestServer();
const database = await createTestDatabase(pgServer.adminUrl);
const dir = await mkdtemp(path.join(os.tmpdir(), "cxr-bench-head-"));
const TOKEN = "bench-token-0123456789abcdef";
const db = database.db;
try {
  await seed(db, []);
  const storageDir = path.join(dir, "objects");
  const storage = new LocalStorage(storageDir);
  const labelSet = await loadLabelSet(db, "cxr-4class");

  // the phantoms are generated once and imported as labelled images, as a data set's import would
  const generated = engine.phantoms({ count: total, seed: 11, size: Number(values.size) });
  const phantoms = generated[Symbol.asyncIterator]();
  let imported = 0;
  const importNext = async (count: number) => {
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      const next = await phantoms.next();
      if (next.done) break;
      const phantom = next.value;
      await storeImage(
        { db, storage },
        {
          prepared: await prepareImage(phantom.png, `bench-head-${imported}.png`),
          patient: { source: "SYNTHETIC", externalId: `${phantom.patientId}-${imported}` },
          study: { key: `bench-head-${imported}` },
          image: { source: "SYNTHETIC", modality: "DX" },
          label: { labelSetId: labelSet.id, classId: labelSet.classes.get(phantom.label)! },
        },
      );
      imported++;
    }
    return (performance.now() - started) / 1000;
  };

  const service = await startService({
    db,
    storage,
    engine,
    config: {
      modelsDir: path.join(dir, "models"),
      workerId: "bench-head",
      concurrency: 1,
      batchSize: 8,
      jobTimeoutSeconds: 600,
      waitTimeoutMs: 600_000,
      gate: promotionGateSchema.parse({}),
      ...(values.inline
        ? {}
        : {
            training: {
              engineModule: new URL("../src/engine/training-engine.ts", import.meta.url).href,
              env: { STORAGE_URL: storageDir, ML_BACKEND: backend.backend },
              // as the service runs it: a spare child with its engine loaded waits for the next run
              keepWarm: true,
            },
          }),
    },
    queue: { databaseUrl: database.url, maintenanceSeconds: 30, pollingSeconds: 0.5 },
  });
  if (service.deps.config.training) warmChildTrainer(service.deps.config.training);
  // only training is measured: the champion's rescore of thousands of images must not compete for the CPU
  await service.deps.queue.offWork(queueNames.predict);
  await service.deps.queue.offWork(queueNames.explain);
  const http = createInferenceServer({ token: TOKEN, backend, deps: service.deps });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const client = createInferenceClient({
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    token: TOKEN,
  });

  /** Starts a run over HTTP and follows its row: seconds to registration and per phase. */
  const run = async (mode: "FROM_SCRATCH" | "HEAD_ONLY", runEpochs: number) => {
    const started = performance.now();
    const { id } = await client.training.start.mutate({
      labelSet: "cxr-4class",
      mode,
      epochs: runEpochs,
      labelSources: ["IMPORTED"],
      autoPromote: mode === "FROM_SCRATCH",
    });
    service.deps.wake?.(queueNames.train);
    const firstSeen: Partial<Record<TrainingProgress["phase"] | "running", number>> = {};
    let last: TrainingProgress | null = null;
    for (;;) {
      const row = await db.trainingRun.findUniqueOrThrow({ where: { id }, include: { modelVersion: true } });
      const now = (performance.now() - started) / 1000;
      if (row.status === "RUNNING") firstSeen.running ??= now;
      if (row.progress) {
        last = trainingProgressSchema.parse(row.progress);
        firstSeen[last.phase] ??= now;
      }
      if (row.modelVersion) return { seconds: now, firstSeen, progress: last, version: row.modelVersion };
      if (!["QUEUED", "RUNNING"].includes(row.status))
        throw new Error(`${mode} run ${row.status}: ${row.error}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const championImport = await importNext(championImages);
  const champion = await run("FROM_SCRATCH", 2);
  if (champion.version.status !== "CHAMPION") throw new Error("the champion run did not pass the gate");
  const restImport = await importNext(total - championImages);

  const uncached = await run("HEAD_ONLY", epochs);
  const embedded = uncached.progress?.embeddingCache?.misses ?? 0;
  const embeddingSeconds =
    (uncached.firstSeen.training ?? uncached.seconds) - (uncached.firstSeen.embedding ?? 0);
  // as between runs of a service: the spare training child has loaded its engine
  if (service.deps.config.training) await warmChildReady(service.deps.config.training);
  const cached = await run("HEAD_ONLY", epochs);
  const metrics = (v: { metrics: unknown }) => {
    const test = (v.metrics as { test?: { accuracy: number; count: number } | null }).test;
    return test ? { accuracy: round(test.accuracy), images: test.count } : null;
  };

  const result = {
    benchmark: "head-only retraining through the service",
    date: new Date().toISOString(),
    backend: backend.backend,
    cpus: os.cpus().length,
    trainingProcess: values.inline ? "inline" : "child",
    images: total,
    phantomSize: Number(values.size),
    epochs,
    import: { images: imported, seconds: round(championImport + restImport) },
    champion: { images: championImages, seconds: round(champion.seconds), test: metrics(champion.version) },
    uncached: {
      seconds: round(uncached.seconds),
      embeddingCache: uncached.progress?.embeddingCache,
      embeddingSeconds: round(embeddingSeconds),
      embeddingImagesPerSecond: round(embedded / embeddingSeconds),
      test: metrics(uncached.version),
    },
    cached: {
      // request to candidate registered
      seconds: round(cached.seconds),
      targetSeconds: 10,
      embeddingCache: cached.progress?.embeddingCache,
      phasesFirstSeenAt: Object.fromEntries(Object.entries(cached.firstSeen).map(([k, v]) => [k, round(v)])),
      test: metrics(cached.version),
    },
  };
  const json = JSON.stringify(result, null, 2);
  console.log(json);
  const results = fileURLToPath(new URL("../bench/results/", import.meta.url));
  await mkdir(results, { recursive: true });
  await writeFile(
    path.join(results, `head-retraining-${result.date.slice(0, 16).replace(":", "")}-${total}images.json`),
    json + "\n",
  );
  http.closeAllConnections();
  http.close();
  closeChildTrainers();
  await service.stop();
} finally {
  await database.close();
  await pgServer.stop();
  await rm(dir, { recursive: true, force: true });
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
