// Runs a job's items one by one: skips what a previous run settled, turns refusals into report entries, keeps
// the counters and heartbeat current, and reports progress (count, rate, ETA) to a callback.
import type { ImportJob, ImportSkipReason, Prisma } from "@cxr/db";
import { describeError, RejectedFileError, type RejectionCode } from "@cxr/imaging";
import type { IngestContext } from "./context";
import {
  finishJob,
  jobProgress,
  recordItem,
  settledKeys,
  startOrResumeJob,
  type ItemResult,
  type JobProgress,
  type JobSpec,
} from "./jobs";
import type { StoreOutcome } from "./store-image";

/** Records the item in the transaction that stores its rows, with the outcome and any note on it. */
export type RecordItem = (
  tx: Prisma.TransactionClient,
  outcome: StoreOutcome & Pick<ItemResult, "reason" | "message">,
) => Promise<void>;

export interface WorkItem {
  /** stable across runs: a relative path, a CSV row key, a SOP Instance UID */
  key: string;
  /**
   * Does the work. When it stores an image it passes `record` to storeImage, so the item is recorded in the
   * same transaction as the rows; otherwise it returns the outcome and the runner records it.
   */
  run(record: RecordItem): Promise<ItemResult>;
}

export interface RunOptions {
  onProgress?(progress: JobProgress, job: ImportJob): void;
  /** stop after this many items (tests simulate a crash with it) */
  stopAfter?: number;
}

export interface RunResult {
  job: ImportJob;
  resumed: boolean;
}

const reasonFor: Record<RejectionCode, ImportSkipReason> = {
  EMPTY: "UNREADABLE_IMAGE",
  TOO_LARGE: "TOO_LARGE",
  TOO_MANY_PIXELS: "TOO_LARGE",
  UNKNOWN_TYPE: "UNREADABLE_IMAGE",
  TYPE_MISMATCH: "UNREADABLE_IMAGE",
  CORRUPT: "UNREADABLE_IMAGE",
  NOT_DICOM: "UNREADABLE_IMAGE",
  NO_PIXEL_DATA: "UNSUPPORTED",
  UNSUPPORTED: "UNSUPPORTED",
  UNSAFE_ARCHIVE: "UNSUPPORTED",
  CONFLICTING_STUDY: "INVALID_METADATA",
};

/** A file refused as an item outcome: skipped with the refusal's reason and message. */
export function rejectionResult(error: unknown): ItemResult | undefined {
  if (error instanceof RejectedFileError)
    return { status: "SKIPPED", reason: reasonFor[error.code], message: error.message };
  return undefined;
}

export async function runJob(
  ctx: IngestContext,
  spec: JobSpec,
  items: WorkItem[],
  options: RunOptions = {},
): Promise<RunResult> {
  const { db } = ctx;
  const { job, resumed } = await startOrResumeJob(db, spec);
  try {
    const done = await settledKeys(db, job.id);
    let current = await db.importJob.update({ where: { id: job.id }, data: { total: items.length } });
    let ran = 0;
    let lastReport = 0;
    for (const item of items) {
      if (done.has(item.key)) continue;
      if (options.stopAfter !== undefined && ran >= options.stopAfter) return { job: current, resumed };
      ran += 1;
      let recorded = false;
      const record: RecordItem = async (tx, outcome) => {
        recorded = true;
        await recordItem(tx, job.id, item.key, {
          status: outcome.status,
          imageIds: outcome.imageIds,
          reason: outcome.reason,
          message: outcome.message,
        });
      };
      let result: ItemResult;
      try {
        result = await item.run(record);
      } catch (error) {
        result = rejectionResult(error) ?? {
          status: "FAILED",
          reason: "ERROR",
          message: describeError(error),
        };
        recorded = false; // a failed transaction recorded nothing
      }
      if (!recorded) await db.$transaction((tx) => recordItem(tx, job.id, item.key, result));
      if (options.onProgress && Date.now() - lastReport > 250) {
        lastReport = Date.now();
        current = await db.importJob.findUniqueOrThrow({ where: { id: job.id } });
        options.onProgress(jobProgress(current), current);
      }
    }
    const finished = await finishJob(db, job.id, "SUCCEEDED");
    options.onProgress?.(jobProgress(finished), finished);
    return { job: finished, resumed };
  } catch (error) {
    await finishJob(db, job.id, "FAILED", describeError(error));
    throw error;
  }
}
