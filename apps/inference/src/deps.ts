// What the service's plain functions work with: one object built at start-up (service.ts) and in tests.
import type { Db } from "@cxr/db";
import type { ObjectStorage } from "@cxr/storage";
import type { ReplicaStats } from "@cxr/inference-api";
import type PgBoss from "pg-boss";
import type { MlEngine } from "./engine/types";
import type { PromotionGate } from "./evaluation/gate";
import type { ModelCache } from "./models/cache";
import type { QueueName } from "./queue/boss";
import type { ChildTrainerSettings } from "./training/child-trainer";

export interface ServiceConfig {
  /** where new model versions are written (one immutable folder each) */
  modelsDir: string;
  /** names this replica in TrainingRun.workerId and logs */
  workerId: string;
  /** model executions at once in this replica; more jobs wait in the queue */
  concurrency: number;
  /** images per model execution when jobs are waiting */
  batchSize: number;
  jobTimeoutSeconds: number;
  /** how long predict/explain calls wait for their jobs before answering "queued" */
  waitTimeoutMs: number;
  gate: PromotionGate;
  /** train in a child process with this engine module (production); absent: in this process (most tests) */
  training?: ChildTrainerSettings;
}

/** Points in a job where a kill must leave nothing out of step (the kill tests stop a replica there). */
export type Checkpoint = "model-registered" | "predictions-written";

export interface Deps {
  db: Db;
  /** the same database as `db`, for connections of their own (a training run's lease) */
  databaseUrl: string;
  storage: ObjectStorage;
  engine: MlEngine;
  models: ModelCache;
  queue: PgBoss;
  config: ServiceConfig;
  stats: ReplicaStats;
  /** wakes this replica's idle workers of a queue right after sending (saves a polling interval) */
  wake?: (queue: QueueName) => void;
  /** test seam only (test/fixtures/replica.ts): awaited at each checkpoint; production never sets it */
  checkpoint?: (point: Checkpoint) => Promise<void>;
}
