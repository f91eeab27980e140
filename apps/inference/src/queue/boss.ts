// The job queue: pg-boss (PostgreSQL-backed, SKIP LOCKED fetching) in the platform's own database, so jobs
// survive restarts and every replica started against the same database shares them.
import PgBoss from "pg-boss";

export const queueNames = {
  predict: "predict",
  explain: "explain",
  train: "train",
  rescore: "rescore",
  demo: "demo",
} as const;
export type QueueName = (typeof queueNames)[keyof typeof queueNames];

export interface QueueSettings {
  databaseUrl: string;
  /** a prediction or Grad-CAM job that has not finished by then is retried (its worker died) */
  jobTimeoutSeconds: number;
  /** how often one replica checks for expired jobs */
  maintenanceSeconds: number;
  /** how often idle workers look for jobs that another replica queued */
  pollingSeconds: number;
}

export async function openQueue(settings: QueueSettings): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: settings.databaseUrl,
    application_name: "cxr-inference-queue",
    max: 4,
    maintenanceIntervalSeconds: settings.maintenanceSeconds,
    // no cron jobs: skip the clock monitor
    schedule: false,
  });
  boss.on("error", (error) => console.error(`queue: ${error.message}`));
  await boss.start();
  const shortJob = {
    retryLimit: 5,
    retryDelay: 1,
    retryBackoff: true,
    expireInSeconds: settings.jobTimeoutSeconds,
  };
  // stately: at most one queued and one running job per key, so two replicas never run the same
  // (image, model version) at the same time
  const definitions: [QueueName, PgBoss.Queue][] = [
    [queueNames.predict, { name: queueNames.predict, policy: "stately", ...shortJob }],
    [queueNames.explain, { name: queueNames.explain, policy: "stately", ...shortJob }],
    [queueNames.rescore, { name: queueNames.rescore, policy: "stately", ...shortJob }],
    // training: one attempt; a run whose worker died is marked INTERRUPTED, never half-resumed
    [
      queueNames.train,
      { name: queueNames.train, policy: "standard", retryLimit: 0, expireInSeconds: 6 * 3600 },
    ],
    [
      queueNames.demo,
      {
        name: queueNames.demo,
        policy: "singleton",
        retryLimit: 3,
        retryDelay: 5,
        retryBackoff: true,
        expireInSeconds: 3600,
      },
    ],
  ];
  for (const [name, options] of definitions) {
    await retryOnDeadlock(async () => {
      await boss.createQueue(name, options);
      // createQueue keeps an existing queue's settings; make this replica's configuration current
      await boss.updateQueue(name, options);
    });
  }
  return boss;
}

/**
 * Replicas started together create the same queues at once, and pg-boss's queue creation can deadlock
 * against itself (PostgreSQL 40P01 aborts one side); the aborted side simply tries again.
 */
async function retryOnDeadlock(fn: () => Promise<void>, attempts = 8): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const deadlock = (error as { code?: string }).code === "40P01";
      if (!deadlock || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200 * attempt));
    }
  }
}
