"use client";
import { Alert, Card, DataTable, EmptyState, PageHeader, type Column } from "@cxr/ui";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { formatDateTime } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
// type-only: the service module is server code and must not reach the browser bundle
import type { ModelRow } from "~/server/services/models/view";
import { Figure, GateVerdict, ModelStatus, sourceLabel } from "./format";
import { PolicyPanel } from "./PolicyPanel";

export function ModelsView({ canChange }: { canChange: boolean }) {
  return (
    <>
      <PageHeader
        title="Models"
        description="Every model version per label set: its status, lineage, training data and locked-test figures with 95% intervals."
      />
      <LabelSets canChange={canChange} />
    </>
  );
}

function LabelSets({ canChange }: { canChange: boolean }) {
  const trpc = useTRPC();
  const sets = useQuery({ ...trpc.models.list.queryOptions(), staleTime: 0 });
  if (sets.isError) return <Alert tone="error">The models could not be loaded: {sets.error.message}</Alert>;
  if (sets.isPending) return <p role="status">Loading models…</p>;
  if (sets.data.length === 0)
    return <EmptyState title="No models yet" description="The first training run registers one." />;
  return (
    <div className="stack">
      {sets.data.map((set) => (
        <Card key={set.labelSet} title={`Label set ${set.labelSet}`}>
          <DataTable
            caption={`Model versions of ${set.labelSet}`}
            columns={columns}
            rows={set.versions}
            rowKey={(row) => row.id}
          />
          <PolicyPanel labelSet={set.labelSet} canChange={canChange} />
        </Card>
      ))}
    </div>
  );
}

function TrainingData({ row }: { row: ModelRow }) {
  if (!row.data) return <span className="models-muted">not recorded</span>;
  return (
    <ul className="models-data">
      {Object.entries(row.data).map(([cls, bySource]) => (
        <li key={cls}>
          <strong>{cls}</strong>:{" "}
          {Object.entries(bySource)
            .map(([src, c]) => `${c?.images ?? 0} img / ${c?.patients ?? 0} pt (${sourceLabel[src] ?? src})`)
            .join(", ")}
        </li>
      ))}
    </ul>
  );
}

const columns: Column<ModelRow>[] = [
  {
    key: "version",
    header: "Version",
    cell: (r) => (
      <Link href={`/models/${r.id}`} data-testid={`model-link-v${r.version}`}>
        v{r.version}
      </Link>
    ),
  },
  { key: "status", header: "Status", cell: (r) => <ModelStatus status={r.status} /> },
  { key: "arch", header: "Architecture", cell: (r) => r.architecture.toLowerCase() },
  { key: "parent", header: "Parent", cell: (r) => (r.parentVersion ? `v${r.parentVersion}` : "—") },
  {
    key: "created",
    header: "Created",
    cell: (r) => (
      <>
        <time dateTime={r.createdAt.toISOString()}>{formatDateTime(r.createdAt)}</time>
        <div className="models-muted">{r.createdBy ? `by ${r.createdBy}` : "by the service"}</div>
      </>
    ),
  },
  { key: "data", header: "Trained on", cell: (r) => <TrainingData row={r} /> },
  { key: "acc", header: "Test accuracy (95% CI)", cell: (r) => <Figure f={r.accuracy} /> },
  { key: "auc", header: "Macro AUC (95% CI)", cell: (r) => <Figure f={r.auc} /> },
  { key: "gate", header: "Gate", cell: (r) => <GateVerdict passed={r.gatePassed} /> },
];
