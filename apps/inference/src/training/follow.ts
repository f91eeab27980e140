// Live progress of a run for the tRPC subscription. The run may be trained by any replica, so the row is the
// source of truth; this reads it a few times a second and yields only changes, ending at a final status.
import { setTimeout as sleep } from "node:timers/promises";
import type { Db } from "@cxr/db";
import { DomainError } from "@cxr/domain";
import type { RunView } from "@cxr/inference-api";
import { runInclude, runView, terminalStatuses } from "./view";

export async function* followTraining(
  db: Db,
  input: { id: string; intervalMs?: number },
  signal?: AbortSignal,
): AsyncGenerator<RunView> {
  let last = "";
  while (!signal?.aborted) {
    const run = await db.trainingRun.findUnique({
      where: { id: input.id },
      include: runInclude,
    });
    if (!run) throw new DomainError("NOT_FOUND", `training run ${input.id} does not exist`);
    const view = runView(run);
    const key = JSON.stringify([view.status, view.currentEpoch, view.progress, view.error]);
    if (key !== last) {
      last = key;
      yield view;
    }
    if (terminalStatuses.has(view.status)) return;
    // the timer removes its abort listener when it fires, so a long stream keeps at most one on `signal`
    await sleep(input.intervalMs ?? 250, undefined, { signal }).catch(() => {});
  }
}

export async function listTraining(db: Db, input: { labelSet?: string; take?: number }): Promise<RunView[]> {
  const runs = await db.trainingRun.findMany({
    where: input.labelSet ? { labelSet: { name: input.labelSet } } : {},
    include: runInclude,
    orderBy: { queuedAt: "desc" },
    take: input.take ?? 50,
  });
  return runs.map(runView);
}
