// The running service behind the HTTP server: queue, workers, warm champions and the periodic upkeep.
import type { Db } from "@cxr/db";
import type { ObjectStorage } from "@cxr/storage";
import type { Checkpoint, Deps, ServiceConfig } from "./deps";
import type { MlEngine } from "./engine/types";
import { ModelCache } from "./models/cache";
import { enqueueRescore } from "./predict/enqueue";
import { openQueue, queueNames, type QueueName, type QueueSettings } from "./queue/boss";
import { startWorkers, type DemoHandler } from "./queue/workers";
import { checkPolicies } from "./training/policy";
import { markStaleRuns, removeAbandonedFolders } from "./training/stale";

export interface ServiceOptions {
  db: Db;
  storage: ObjectStorage;
  engine: MlEngine;
  config: ServiceConfig;
  queue: Omit<QueueSettings, "jobTimeoutSeconds">;
  /** a RUNNING training run without a heartbeat for this long, and without a live worker, is marked INTERRUPTED */
  staleRunMs?: number;
  demo?: DemoHandler;
  /** test seam only: see Deps.checkpoint */
  checkpoint?: (point: Checkpoint) => Promise<void>;
}

export interface RunningService {
  deps: Deps;
  /** wakes this replica's idle workers of a queue (after it sent jobs there) */
  wake(queue: QueueName): void;
  stop(): Promise<void>;
}

export async function startService(options: ServiceOptions): Promise<RunningService> {
  const { db, storage, engine, config } = options;
  const boss = await openQueue({ ...options.queue, jobTimeoutSeconds: config.jobTimeoutSeconds });
  const models = new ModelCache(db, engine);
  const deps: Deps = {
    db,
    databaseUrl: options.queue.databaseUrl,
    storage,
    engine,
    models,
    queue: boss,
    config,
    stats: { predictedImages: 0, predictBatches: 0, gradcams: 0 },
    checkpoint: options.checkpoint,
  };
  const staleRunMs = options.staleRunMs ?? 120_000;

  await markStaleRuns(db, staleRunMs);
  await removeAbandonedFolders(db, config.modelsDir);
  await models
    .warmChampions()
    .catch((error: unknown) => console.error(`could not load a champion: ${String(error)}`));
  const workers = await startWorkers(deps, boss, {
    pollingSeconds: options.queue.pollingSeconds,
    demo: options.demo,
  });

  deps.wake = (queue) => {
    for (const id of workers.get(queue) ?? []) boss.notifyWorker(id);
  };
  const upkeep = async () => {
    if ((await markStaleRuns(db, staleRunMs)) > 0) await removeAbandonedFolders(db, config.modelsDir);
    // another replica may have promoted a model: keep the current champions warm here too
    const champions = await models.warmChampions();
    // images ingested since (status PENDING) and not yet scored by the champion get their jobs
    for (const id of champions) await enqueueRescore(deps, id);
    // retraining policies whose label sets have enough new labels start their runs
    if ((await checkPolicies(deps)).length > 0) deps.wake?.(queueNames.train);
  };
  await upkeep().catch((error: unknown) => console.error(`upkeep failed: ${String(error)}`));
  const timer = setInterval(
    () => void upkeep().catch((error: unknown) => console.error(`upkeep failed: ${String(error)}`)),
    30_000,
  );
  timer.unref();

  return {
    deps,
    wake: deps.wake,
    stop: async () => {
      clearInterval(timer);
      // graceful: running jobs finish (or expire and are retried elsewhere); nothing new is fetched
      await boss.stop({ graceful: true, wait: true, timeout: 15_000 });
      await models.close();
    },
  };
}
