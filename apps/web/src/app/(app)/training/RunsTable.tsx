"use client";
// Every training run, newest first, refreshed while one is going.
import { Alert, Card, DataTable, EmptyState, type Column } from "@cxr/ui";
import type { RunView } from "@cxr/inference-api";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { formatDateTime } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { isActive, modeLabel, runDuration, RunStatus } from "./format";

export function RunsTable() {
  const trpc = useTRPC();
  const runs = useQuery({
    ...trpc.training.list.queryOptions({}),
    staleTime: 0,
    // while any run is going, its status and duration change
    refetchInterval: (q) => (q.state.data?.some((r) => isActive(r.status)) ? 3000 : false),
  });
  return (
    <Card title="Runs">
      {runs.isError && <Alert tone="error">The runs could not be loaded: {runs.error.message}</Alert>}
      {runs.isPending && <p role="status">Loading runs…</p>}
      {runs.data && runs.data.length === 0 && (
        <EmptyState
          title="No runs yet"
          description="Runs started here or by a retraining policy appear here."
        />
      )}
      {runs.data && runs.data.length > 0 && (
        <DataTable
          caption="Training runs, newest first"
          columns={columns}
          rows={runs.data}
          rowKey={(r) => r.id}
        />
      )}
    </Card>
  );
}

const columns: Column<RunView>[] = [
  {
    key: "run",
    header: "Run",
    cell: (r) => (
      <Link href={`/training/${r.id}`} data-testid="run-link">
        {formatDateTime(r.queuedAt)}
      </Link>
    ),
  },
  { key: "status", header: "Status", cell: (r) => <RunStatus status={r.status} /> },
  { key: "labelSet", header: "Label set", cell: (r) => r.labelSet },
  { key: "mode", header: "Mode", cell: (r) => modeLabel[r.mode] ?? r.mode },
  { key: "arch", header: "Architecture", cell: (r) => r.architecture.toLowerCase() },
  { key: "epochs", header: "Epochs", cell: (r) => `${r.currentEpoch} / ${r.epochs}` },
  { key: "duration", header: "Duration", cell: (r) => runDuration(r) },
  { key: "by", header: "Started by", cell: (r) => r.startedBy?.name ?? "the service" },
  {
    key: "version",
    header: "Version",
    cell: (r) =>
      r.progress?.modelVersionId ? <Link href={`/models/${r.progress.modelVersionId}`}>candidate</Link> : "—",
  },
];
