// Import jobs: one row per import with its counters, one ImportItem per entry with its outcome. Running the same
// import again (same fingerprint) resumes an unfinished job: recorded items are not redone.
import { createHash } from "node:crypto";
import os from "node:os";
import { isProcessAlive } from "@cxr/db/local-runtime";
import type { Db, ImportItemStatus, ImportJob, ImportSkipReason, Prisma } from "@cxr/db";
import { redactUrl } from "./redact-url";

export interface JobSpec {
  format: string;
  sourceRef: string;
  options?: Record<string, string | number | boolean | undefined>;
  startedById?: string;
}

export interface ItemResult {
  status: ImportItemStatus;
  reason?: ImportSkipReason;
  message?: string;
  imageIds?: string[];
}

export class JobAlreadyRunningError extends Error {
  constructor(job: ImportJob) {
    super(
      `this import is already running as job ${job.id} (process ${job.workerId}, last seen ${job.heartbeatAt.toISOString()})`,
    );
    this.name = "JobAlreadyRunningError";
  }
}

/** A job whose process is alive but silent for this long is taken over as interrupted. */
export const STALE_AFTER_MS = 5 * 60_000;

export const thisWorker = (): string => `${os.hostname()}:${process.pid}`;

export function jobFingerprint(spec: JobSpec): string {
  const options = Object.entries(spec.options ?? {})
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
  return createHash("sha256")
    .update(JSON.stringify([spec.format, spec.sourceRef, options]))
    .digest("hex");
}

function processGone(workerId: string | null): boolean {
  const [host, pid] = (workerId ?? "").split(":");
  if (host !== os.hostname() || !pid) return false; // another machine: only the heartbeat can tell
  return !isProcessAlive(Number(pid));
}

export async function startOrResumeJob(
  db: Db,
  given: JobSpec,
): Promise<{ job: ImportJob; resumed: boolean }> {
  // a PACS password is never stored; the same source with other credentials resumes the same job
  const spec = { ...given, sourceRef: redactUrl(given.sourceRef) };
  const fingerprint = jobFingerprint(spec);
  const previous = await db.importJob.findFirst({
    where: { fingerprint, status: { in: ["RUNNING", "INTERRUPTED", "FAILED"] } },
    orderBy: { startedAt: "desc" },
  });
  if (previous) {
    const stale = Date.now() - previous.heartbeatAt.getTime() > STALE_AFTER_MS;
    if (previous.status === "RUNNING" && !stale && !processGone(previous.workerId))
      throw new JobAlreadyRunningError(previous);
    // failed items are retried: their records go, and so do their counts
    const failed = await db.importItem.deleteMany({ where: { jobId: previous.id, status: "FAILED" } });
    const job = await db.importJob.update({
      where: { id: previous.id },
      data: {
        status: "RUNNING",
        error: null,
        finishedAt: null,
        workerId: thisWorker(),
        heartbeatAt: new Date(),
        failed: { decrement: failed.count },
        processed: { decrement: failed.count },
      },
    });
    return { job, resumed: true };
  }
  const job = await db.importJob.create({
    data: {
      format: spec.format,
      sourceRef: spec.sourceRef,
      fingerprint,
      options: (spec.options ?? {}) as Prisma.InputJsonObject,
      startedById: spec.startedById,
      workerId: thisWorker(),
    },
  });
  return { job, resumed: false };
}

/** Keys already settled in this job (not to be redone on resume). */
export async function settledKeys(db: Db, jobId: string): Promise<Set<string>> {
  const rows = await db.importItem.findMany({ where: { jobId }, select: { key: true } });
  return new Set(rows.map((r) => r.key));
}

const counter: Record<ImportItemStatus, "imported" | "duplicates" | "skipped" | "failed"> = {
  IMPORTED: "imported",
  DUPLICATE: "duplicates",
  SKIPPED: "skipped",
  FAILED: "failed",
};

/** Records one item and bumps the job's counters and heartbeat; run it in the transaction that did the work. */
export async function recordItem(
  tx: Prisma.TransactionClient,
  jobId: string,
  key: string,
  result: ItemResult,
): Promise<void> {
  await tx.importItem.create({
    data: {
      jobId,
      key,
      status: result.status,
      reason: result.reason,
      message: result.message === undefined ? undefined : redactUrl(result.message),
      imageIds: result.imageIds ?? [],
    },
  });
  await tx.importJob.update({
    where: { id: jobId },
    data: {
      processed: { increment: 1 },
      [counter[result.status]]: { increment: 1 },
      heartbeatAt: new Date(),
    },
  });
}

export async function finishJob(
  db: Db,
  jobId: string,
  status: "SUCCEEDED" | "FAILED",
  error?: string,
): Promise<ImportJob> {
  return db.importJob.update({
    where: { id: jobId },
    data: {
      status,
      error: error === undefined ? undefined : redactUrl(error),
      finishedAt: new Date(),
      heartbeatAt: new Date(),
    },
  });
}

/** Marks RUNNING jobs whose process is gone or silent as INTERRUPTED (for the web app's job list). */
export async function markInterruptedJobs(db: Db): Promise<number> {
  const running = await db.importJob.findMany({ where: { status: "RUNNING" } });
  const dead = running.filter(
    (j) => processGone(j.workerId) || Date.now() - j.heartbeatAt.getTime() > STALE_AFTER_MS,
  );
  if (dead.length === 0) return 0;
  const { count } = await db.importJob.updateMany({
    where: { id: { in: dead.map((j) => j.id) } },
    data: { status: "INTERRUPTED" },
  });
  return count;
}

export interface JobProgress {
  processed: number;
  total: number | null;
  /** items per second since the job started */
  rate: number;
  /** seconds left at that rate; null when unknown */
  etaSeconds: number | null;
}

export function jobProgress(
  job: Pick<ImportJob, "processed" | "total" | "startedAt" | "heartbeatAt" | "finishedAt">,
  now = new Date(),
): JobProgress {
  const end = job.finishedAt ?? now;
  const seconds = Math.max((end.getTime() - job.startedAt.getTime()) / 1000, 0.001);
  const rate = job.processed / seconds;
  const left = job.total === null ? null : Math.max(job.total - job.processed, 0);
  return {
    processed: job.processed,
    total: job.total,
    rate,
    etaSeconds: left === null || rate === 0 ? null : left / rate,
  };
}

export interface JobReport {
  job: ImportJob;
  /** skipped and failed items grouped by reason, with examples */
  problems: {
    status: ImportItemStatus;
    reason: ImportSkipReason | null;
    count: number;
    examples: { key: string; message: string | null }[];
  }[];
}

export async function jobReport(db: Db, jobId: string, examplesPerReason = 5): Promise<JobReport> {
  const job = await db.importJob.findUniqueOrThrow({ where: { id: jobId } });
  const groups = await db.importItem.groupBy({
    by: ["status", "reason"],
    // imported items with a reason were imported with a note (a value kept as text): listed too
    where: { jobId, OR: [{ status: { in: ["SKIPPED", "FAILED"] } }, { reason: { not: null } }] },
    _count: { _all: true },
    orderBy: [{ status: "asc" }, { reason: "asc" }],
  });
  const problems = [];
  for (const group of groups) {
    const examples = await db.importItem.findMany({
      where: { jobId, status: group.status, reason: group.reason },
      orderBy: { key: "asc" },
      take: examplesPerReason,
      select: { key: true, message: true },
    });
    // rows written before credentials were redacted on the way in are redacted on the way out
    const redacted = examples.map((e) => ({ key: e.key, message: e.message && redactUrl(e.message) }));
    problems.push({
      status: group.status,
      reason: group.reason,
      count: group._count._all,
      examples: redacted,
    });
  }
  const shown = { ...job, sourceRef: redactUrl(job.sourceRef), error: job.error && redactUrl(job.error) };
  return { job: shown, problems };
}
