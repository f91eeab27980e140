// Telling a dead training run from a live one, across replicas. A worker holds its run's lease, a session-level
// advisory lock on a connection of its own, for as long as the run is RUNNING: PostgreSQL releases it the moment
// that process dies (its connection closes), however long a synchronous epoch keeps the worker's thread from
// writing heartbeats. A run is stale only when its heartbeat is old AND nobody holds its lease.
import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import type { Db } from "@cxr/db";
import { lockKey } from "@cxr/domain";
import pg from "pg";

const leaseKey = (runId: string) => lockKey("training-run", runId);

export interface RunLease {
  release(): Promise<void>;
}

/** Takes the run's lease on a new connection; released by `release()` or by this process's death. */
export async function holdRunLease(databaseUrl: string, runId: string): Promise<RunLease> {
  const client = new pg.Client({
    connectionString: databaseUrl,
    application_name: "cxr-inference-training-lease",
    // a replica whose machine vanished is noticed by keepalive rather than never
    keepAlive: true,
  });
  // a lost lease connection only lets another replica mark the run INTERRUPTED; the worker then stops
  client.on("error", (error) => console.error(`training lease of ${runId}: ${error.message}`));
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [leaseKey(runId)]);
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  return { release: () => client.end().catch(() => {}) };
}

/**
 * Runs whose worker is gone (old heartbeat and a free lease) are marked INTERRUPTED, never left RUNNING. Nothing
 * of theirs was registered: a model version is written in the same transaction that ends the run.
 */
export async function markStaleRuns(db: Db, staleAfterMs: number): Promise<number> {
  const cutoff = () => new Date(Date.now() - staleAfterMs);
  const candidates = await db.trainingRun.findMany({
    where: { status: "RUNNING", heartbeatAt: { lt: cutoff() } },
    select: { id: true },
  });
  let marked = 0;
  for (const { id } of candidates) {
    marked += await db.$transaction(async (tx) => {
      // taking the lease (until this transaction ends) proves no live worker holds it
      const [row] = await tx.$queryRaw<{ free: boolean }[]>`
        SELECT pg_try_advisory_xact_lock(hashtextextended(${leaseKey(id)}, 0)) AS free`;
      if (!row?.free) return 0;
      const { count } = await tx.trainingRun.updateMany({
        where: { id, status: "RUNNING", heartbeatAt: { lt: cutoff() } },
        data: {
          status: "INTERRUPTED",
          error: "the worker stopped mid-run; no model version was written",
          finishedAt: new Date(),
        },
      });
      return count;
    });
  }
  return marked;
}

/**
 * Removes the folders a run left behind when its worker died or it ended without a model version: its temporary
 * folder (`.tmp-<run>-*`) and its published one (`<label set>/<run>`) that no version points at.
 */
export async function removeAbandonedFolders(db: Db, modelsDir: string): Promise<void> {
  const ended = await db.trainingRun.findMany({
    where: { status: { in: ["INTERRUPTED", "FAILED", "CANCELLED"] }, modelVersion: null },
    select: { id: true, labelSet: { select: { name: true } } },
    orderBy: { queuedAt: "desc" },
    take: 200,
  });
  if (ended.length === 0) return;
  const top = await readdir(modelsDir).catch(() => [] as string[]);
  for (const run of ended) {
    for (const name of top.filter((n) => n.startsWith(`.tmp-${run.id}-`)))
      await rm(path.join(modelsDir, name), { recursive: true, force: true });
    await rm(path.join(modelsDir, run.labelSet.name, run.id), { recursive: true, force: true });
  }
}
