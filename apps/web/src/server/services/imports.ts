// Import jobs (data-set imports, DICOMweb pulls) for the imports page: live progress and the report of
// what each finished job skipped and why.
import { type Db, type ImportItemStatus, type ImportSkipReason } from "@cxr/db";
import { DomainError } from "@cxr/domain";
import { jobProgress, jobReport, markInterruptedJobs, redactUrl } from "~/server/ingest";

const jobSelect = {
  id: true,
  format: true,
  sourceRef: true,
  status: true,
  total: true,
  processed: true,
  imported: true,
  duplicates: true,
  skipped: true,
  failed: true,
  error: true,
  startedAt: true,
  heartbeatAt: true,
  finishedAt: true,
} as const;

/** A source as shown in the browser: credentials in a PACS URL (`https://user:pass@host`) are dropped. */
export const redactSourceRef = redactUrl;

/** The most recent jobs, newest first, each with its progress (count, rate, ETA) as of `now`. */
export async function listImportJobs(db: Db, options: { limit?: number; now?: Date } = {}) {
  // a job whose process died still says RUNNING until someone looks: this list is where people look
  await markInterruptedJobs(db);
  const rows = await db.importJob.findMany({
    select: jobSelect,
    orderBy: { startedAt: "desc" },
    take: options.limit ?? 50,
  });
  const now = options.now ?? new Date();
  return rows.map((job) => {
    const { rate, etaSeconds } = jobProgress(job, now);
    const error = job.error && redactUrl(job.error);
    return { ...job, sourceRef: redactSourceRef(job.sourceRef), error, rate, etaSeconds };
  });
}

export type ImportJobListItem = Awaited<ReturnType<typeof listImportJobs>>[number];

export interface ImportProblem {
  status: ImportItemStatus;
  reason: ImportSkipReason | null;
  count: number;
  examples: { key: string; message: string | null }[];
}

/** Skipped and failed items of a job grouped by reason, with a few examples each; NOT_FOUND for an unknown job. */
export async function importJobProblems(
  db: Db,
  jobId: string,
  examplesPerReason = 5,
): Promise<ImportProblem[]> {
  const exists = await db.importJob.count({ where: { id: jobId } });
  if (exists === 0) throw new DomainError("NOT_FOUND", "This import job does not exist.");
  const report = await jobReport(db, jobId, examplesPerReason);
  return report.problems;
}

/** What is in the archive, so a finished upload or import shows up in the counts. */
export async function archiveSummary(db: Db) {
  const [images, pending, uploaded, running] = await Promise.all([
    db.image.count(),
    db.image.count({ where: { status: "PENDING" } }),
    db.image.count({ where: { source: "UPLOAD" } }),
    db.importJob.count({ where: { status: "RUNNING" } }),
  ]);
  return { images, pending, uploaded, running };
}
