// Putting prediction work on the queue. Sending is idempotent per (image, model version): the queue keeps at
// most one waiting job per pair (stately policy), and the job itself skips what is already stored.
import type { Deps } from "../deps";
import { queueNames } from "../queue/boss";
import { predictJobKey, type PredictJob } from "./schemas";

export const priorities = { interactive: 10, pending: 5, rescore: 0 } as const;

/** Returns the job id per image (null: an equal job was already waiting). */
export async function enqueuePredictions(
  deps: Pick<Deps, "queue" | "config">,
  jobs: readonly PredictJob[],
  priority: number,
): Promise<Map<string, string | null>> {
  const ids = new Map<string, string | null>();
  for (const job of jobs) {
    const id = await deps.queue.send(queueNames.predict, job, {
      singletonKey: predictJobKey(job),
      priority,
      expireInSeconds: deps.config.jobTimeoutSeconds,
    });
    ids.set(job.imageId, id);
  }
  return ids;
}

/** Queues the re-scoring of unreviewed images with a new champion (run as a background job). */
export async function enqueueRescore(
  deps: Pick<Deps, "queue" | "config">,
  modelVersionId: string,
): Promise<string | null> {
  return deps.queue.send(
    queueNames.rescore,
    { modelVersionId },
    { singletonKey: modelVersionId, expireInSeconds: deps.config.jobTimeoutSeconds },
  );
}
