// How the training pages name a run's status, mode and duration.
import { type StatusTone } from "@cxr/ui";
import { formatDuration } from "~/lib/format";
import { StatusOf } from "../models/format";

const runTones: Record<string, StatusTone> = {
  QUEUED: "neutral",
  RUNNING: "warn",
  SUCCEEDED: "ok",
  FAILED: "error",
  CANCELLED: "neutral",
  INTERRUPTED: "error",
};

export const RunStatus = ({ status }: { status: string }) => (
  <StatusOf status={status} tones={runTones} noun="run" />
);

export const modeLabel: Record<string, string> = {
  HEAD_ONLY: "head only (champion's backbone)",
  FULL_FINE_TUNE: "fine-tune from the champion",
  FROM_SCRATCH: "from scratch",
};

/** Wall time of a run: to its end, or to now while it runs; "—" before it started. */
export function runDuration(run: { startedAt: Date | null; finishedAt: Date | null }, now = Date.now()) {
  if (!run.startedAt) return "—";
  return formatDuration(((run.finishedAt?.getTime() ?? now) - run.startedAt.getTime()) / 1000);
}

export const isActive = (status: string) => status === "QUEUED" || status === "RUNNING";
