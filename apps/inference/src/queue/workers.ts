// This replica's workers: how many jobs of each queue it runs at once. Jobs beyond that stay in PostgreSQL.
import type PgBoss from "pg-boss";
import type { Deps } from "../deps";
import { runPredictions } from "../predict/run-predictions";
import { rescoreJobSchema, rescoreUnreviewed } from "../predict/rescore";
import { predictJobSchema } from "../predict/schemas";
import { runTraining, trainJobSchema } from "../training/run-training";
import { queueNames, type QueueName } from "./boss";
import { createModelSlots } from "./model-slots";

export type DemoHandler = (deps: Deps) => Promise<unknown>;

/** Starts the workers; returns their ids per queue, so a replica can wake its own after sending. */
export async function startWorkers(
  deps: Deps,
  boss: PgBoss,
  options: { pollingSeconds: number; demo?: DemoHandler },
): Promise<Map<QueueName, string[]>> {
  const ids = new Map<QueueName, string[]>();
  const add = async (
    queue: QueueName,
    count: number,
    batchSize: number,
    handler: (jobs: PgBoss.Job<unknown>[]) => Promise<unknown>,
  ) => {
    for (let i = 0; i < count; i++) {
      let id = "";
      id = await boss.work(
        queue,
        { batchSize, pollingIntervalSeconds: options.pollingSeconds },
        async (jobs) => {
          const result = await handler(jobs);
          // a full batch means more are probably waiting: fetch again at once instead of after the polling interval
          if (jobs.length === batchSize) boss.notifyWorker(id);
          return result;
        },
      );
      ids.set(queue, [...(ids.get(queue) ?? []), id]);
    }
  };
  // predictions and Grad-CAMs share the replica's model slots
  const slots = createModelSlots(deps.config.concurrency);
  const predict = (jobs: PgBoss.Job<unknown>[]) =>
    slots(() =>
      runPredictions(
        deps,
        jobs.map((j) => predictJobSchema.parse(j.data)),
      ),
    );
  await add(queueNames.predict, deps.config.concurrency, deps.config.batchSize, predict);
  await add(queueNames.explain, 1, 1, predict);
  await add(queueNames.rescore, 1, 1, async ([job]) =>
    rescoreUnreviewed(deps, rescoreJobSchema.parse(job!.data)),
  );
  await add(queueNames.train, 1, 1, async ([job]) => runTraining(deps, trainJobSchema.parse(job!.data)));
  if (options.demo) {
    const demo = options.demo;
    await add(queueNames.demo, 1, 1, () => demo(deps));
  }
  return ids;
}
