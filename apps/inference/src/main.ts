import os from "node:os";
import { createDb } from "@cxr/db";
import { createStorage, loadStorageEnv } from "@cxr/storage";
import { backboneEngine, initBackend } from "@cxr/ml";
import { runDemoJob, queueDemo } from "./demo/seed-demo";
import { createMlEngine } from "./engine/ml-engine";
import { loadEnv, type Env } from "./env";
import { createInferenceServer } from "./server";
import { startService, type RunningService } from "./service";
import { closeChildTrainers, warmChildTrainer } from "./training/child-trainer";

let env: Env;
let storageEnv: ReturnType<typeof loadStorageEnv>;
try {
  env = loadEnv();
  storageEnv = loadStorageEnv();
} catch (error) {
  // one readable line, no stack: the fix is in the operator's environment
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

const backend = await initBackend(env.ML_BACKEND).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
console.log(`tfjs backend: ${backend.backend} (${backend.provider})`);
for (const reason of backend.skipped) console.log(`  skipped ${reason}`);
console.log(`frozen backbones: ${await backboneEngine()}`);

let service: RunningService | undefined;
const db = env.DATABASE_URL ? createDb(env.DATABASE_URL) : undefined;
if (db && env.DATABASE_URL) {
  const workerId = env.WORKER_ID ?? `${os.hostname()}:${process.pid}`;
  try {
    service = await startService({
      db,
      storage: createStorage(storageEnv),
      engine: createMlEngine({ baldSamples: env.BALD_SAMPLES }),
      config: {
        modelsDir: env.MODELS_DIR,
        workerId,
        concurrency: env.INFERENCE_CONCURRENCY,
        batchSize: env.PREDICT_BATCH_SIZE,
        jobTimeoutSeconds: env.JOB_TIMEOUT_SECONDS,
        waitTimeoutMs: env.PREDICT_WAIT_SECONDS * 1000,
        gate: env.PROMOTION_GATE,
        // training runs in a child process, so this one keeps answering while an epoch holds a thread
        training: {
          engineModule: new URL("./engine/training-engine.ts", import.meta.url).href,
          keepWarm: true,
        },
      },
      queue: {
        databaseUrl: env.DATABASE_URL,
        maintenanceSeconds: env.QUEUE_MAINTENANCE_SECONDS,
        pollingSeconds: env.QUEUE_POLLING_SECONDS,
      },
      staleRunMs: env.TRAINING_STALE_SECONDS * 1000,
      demo: env.DEMO === "on" ? runDemoJob : undefined,
    });
    // the demo runs as a background job: /health answers at once, the web app shows its progress
    if (env.DEMO === "on") await queueDemo(service.deps);
    // the first run's training child is ready when it comes (engine loaded)
    if (service.deps.config.training) warmChildTrainer(service.deps.config.training);
    console.log(
      `worker ${workerId}: ${env.INFERENCE_CONCURRENCY} model slot(s), storage ${createStorage(storageEnv).description}`,
    );
  } catch (error) {
    console.error(`cannot start the job queue: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
} else {
  console.log("DATABASE_URL is not set: serving /health and system calls only");
}

const server = createInferenceServer({ token: env.INFERENCE_TOKEN, backend, deps: service?.deps });
server.on("error", (error) => {
  // e.g. EADDRINUSE: say which address, skip the stack
  console.error(`cannot listen on ${env.INFERENCE_HOST}:${env.INFERENCE_PORT}: ${error.message}`);
  process.exit(1);
});
server.listen(env.INFERENCE_PORT, env.INFERENCE_HOST, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : env.INFERENCE_PORT;
  console.log(`inference listening on http://${env.INFERENCE_HOST}:${port} (backend: ${backend.backend})`);
});

function shutdown(signal: string): void {
  console.log(`${signal} received, closing`);
  let closed = false;
  server.close(() => {
    closed = true;
  });
  server.closeIdleConnections();
  // running jobs finish or are handed back to the queue; then the database connections close
  void (async () => {
    closeChildTrainers();
    await service?.stop();
    await db?.$disconnect();
    if (!closed) server.closeAllConnections();
    process.exit(0);
  })().catch((error: unknown) => {
    console.error(`shutdown failed: ${String(error)}`);
    process.exit(1);
  });
  // a stuck job or request must not hold the process forever
  setTimeout(() => {
    console.error("still busy after 20 s, exiting anyway");
    process.exit(1);
  }, 20_000).unref();
}
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
