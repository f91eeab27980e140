import type { Prisma } from "@cxr/db";
import type { RunView } from "@cxr/inference-api";

type RunRow = Prisma.TrainingRunGetPayload<{ include: { labelSet: { select: { name: true } } } }>;

/** A run as the contract shows it. */
export function runView(run: RunRow): RunView {
  return {
    id: run.id,
    labelSet: run.labelSet.name,
    architecture: run.architecture,
    mode: run.mode,
    labelSources: run.labelSources,
    status: run.status,
    epochs: run.epochs,
    currentEpoch: run.currentEpoch,
    progress: run.progress,
    error: run.error,
    workerId: run.workerId,
    queuedAt: run.queuedAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
  };
}

export const terminalStatuses = new Set(["SUCCEEDED", "FAILED", "CANCELLED", "INTERRUPTED"]);
