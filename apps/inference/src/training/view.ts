import type { Prisma } from "@cxr/db";

type RunRow = Prisma.TrainingRunGetPayload<{ include: { labelSet: { select: { name: true } } } }>;

export interface RunView {
  id: string;
  labelSet: string;
  architecture: string;
  mode: string;
  labelSources: string[];
  status: RunRow["status"];
  epochs: number;
  currentEpoch: number;
  progress: unknown;
  error: string | null;
  workerId: string | null;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

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
