import type { Prisma } from "@cxr/db";
import { trainingProgressSchema, type RunView } from "@cxr/inference-api";
import { trainingParamsSchema } from "./schemas";

/** What every read of a run includes, so `runView` can show it. */
export const runInclude = {
  labelSet: { select: { name: true } },
  startedBy: { select: { id: true, name: true, email: true } },
} satisfies Prisma.TrainingRunInclude;

type RunRow = Prisma.TrainingRunGetPayload<{ include: typeof runInclude }>;

/** A run as the contract shows it. */
export function runView(run: RunRow): RunView {
  const params = trainingParamsSchema.parse(run.params);
  // a progress value this version cannot read (older rows) shows as none rather than failing the list
  const progress = trainingProgressSchema.safeParse(run.progress);
  return {
    id: run.id,
    labelSet: run.labelSet.name,
    architecture: run.architecture,
    mode: run.mode,
    labelSources: run.labelSources,
    status: run.status,
    epochs: run.epochs,
    currentEpoch: run.currentEpoch,
    batchSize: params.batchSize ?? null,
    roiWeight: params.roiWeight ?? null,
    progress: progress.success ? progress.data : null,
    startedBy: run.startedBy,
    error: run.error,
    workerId: run.workerId,
    queuedAt: run.queuedAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
  };
}

export const terminalStatuses = new Set(["SUCCEEDED", "FAILED", "CANCELLED", "INTERRUPTED"]);
