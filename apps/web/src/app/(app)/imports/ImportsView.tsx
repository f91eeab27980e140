"use client";
import {
  Alert,
  Card,
  DataTable,
  EmptyState,
  ProgressBar,
  StatCard,
  StatGrid,
  StatusPill,
  type Column,
} from "@cxr/ui";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { formatDateTime, formatDuration, formatRate } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
// type-only: the service module is server code and must not reach the browser bundle
import type { ImportJobListItem } from "~/server/services/imports";
import { formatLabels, jobStatus, reasonLabel } from "./labels";

/** Poll fast while a job runs (live count, rate, ETA), slowly otherwise so new jobs still appear. */
const RUNNING_POLL_MS = 2_000;
const IDLE_POLL_MS = 30_000;

export function ImportsView() {
  const trpc = useTRPC();
  const jobs = useQuery({
    ...trpc.imports.list.queryOptions(),
    staleTime: 0,
    refetchInterval: (query) =>
      query.state.data?.some((job) => job.status === "RUNNING") ? RUNNING_POLL_MS : IDLE_POLL_MS,
  });
  const running = jobs.data?.some((job) => job.status === "RUNNING") ?? false;
  const summary = useQuery({
    ...trpc.imports.summary.queryOptions(),
    staleTime: 0,
    refetchInterval: running ? RUNNING_POLL_MS : IDLE_POLL_MS,
  });

  return (
    <div className="stack">
      <StatGrid label="Archive counts">
        <StatCard label="Images stored" value={summary.data?.images ?? "…"} />
        <StatCard label="Waiting for prediction" value={summary.data?.pending ?? "…"} />
        <StatCard label="Uploaded from the browser" value={summary.data?.uploaded ?? "…"} />
        <StatCard label="Imports running" value={summary.data?.running ?? "…"} />
      </StatGrid>
      <Card title="Import jobs">
        {jobs.isError ? (
          <Alert tone="error">The import jobs could not be loaded: {jobs.error.message}</Alert>
        ) : jobs.isPending ? (
          <p role="status">Loading import jobs…</p>
        ) : (
          <DataTable
            caption="Import jobs"
            columns={columns}
            rows={jobs.data}
            rowKey={(job) => job.id}
            empty={
              <EmptyState
                title="No imports yet"
                description={
                  <>
                    Start one with <code>npm run ingest -- import --format cohen PATH</code> or pull from a
                    PACS with <code>npm run ingest -- dicomweb --url URL</code>.
                  </>
                }
              />
            }
          />
        )}
      </Card>
    </div>
  );
}

const columns: Column<ImportJobListItem>[] = [
  {
    key: "source",
    header: "Import",
    cell: (job) => (
      <>
        <div>{formatLabels[job.format] ?? job.format}</div>
        <div className="imports-source">{job.sourceRef}</div>
      </>
    ),
  },
  {
    key: "started",
    header: "Started",
    cell: (job) => <time dateTime={job.startedAt.toISOString()}>{formatDateTime(job.startedAt)}</time>,
  },
  {
    key: "status",
    header: "Status",
    cell: (job) => {
      const s = jobStatus[job.status] ?? { text: job.status, tone: "neutral" as const };
      return <StatusPill tone={s.tone}>{s.text}</StatusPill>;
    },
  },
  { key: "progress", header: "Progress", cell: (job) => <JobProgress job={job} /> },
  {
    key: "outcome",
    header: "Outcome",
    cell: (job) => (
      <>
        <div>
          {job.imported} imported · {job.duplicates} already stored · {job.skipped} skipped · {job.failed}{" "}
          failed
        </div>
        {job.error ? <div className="upload-item__message">{job.error}</div> : null}
        {job.status === "INTERRUPTED" ? (
          <div className="imports-progress__figures">Run the same import again to resume it.</div>
        ) : null}
        {job.skipped + job.failed > 0 ? <JobReport job={job} /> : null}
      </>
    ),
  },
];

function JobProgress({ job }: { job: ImportJobListItem }) {
  const label = `Progress of import ${formatLabels[job.format] ?? job.format}`;
  const count = job.total === null ? `${job.processed} done` : `${job.processed} of ${job.total}`;
  return (
    <div className="imports-progress">
      <ProgressBar
        label={label}
        value={job.total === null ? null : job.processed}
        max={job.total ?? undefined}
        valueText={count}
        tone={job.status === "SUCCEEDED" ? "ok" : job.status === "RUNNING" ? "accent" : "error"}
      />
      <span className="imports-progress__figures">
        {count}
        {job.status === "RUNNING"
          ? ` · ${formatRate(job.rate)} · ${formatDuration(job.etaSeconds)} left`
          : ""}
      </span>
    </div>
  );
}

/** The skipped and failed items by reason, loaded when opened. */
function JobReport({ job }: { job: ImportJobListItem }) {
  const [open, setOpen] = useState(false);
  const trpc = useTRPC();
  const report = useQuery({
    ...trpc.imports.report.queryOptions({ jobId: job.id }),
    enabled: open,
    // a running job's report grows; a finished one's is final
    refetchInterval: open && job.status === "RUNNING" ? RUNNING_POLL_MS : false,
  });
  return (
    <details className="imports-report" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>
        {job.status === "RUNNING" ? "Skipped so far" : "Report"}: {job.skipped + job.failed} not imported
      </summary>
      {report.isError ? (
        <Alert tone="error">{report.error.message}</Alert>
      ) : !report.data ? (
        <p role="status">Loading the report…</p>
      ) : (
        <ul aria-label="Items skipped, failed or imported with a note, by reason">
          {report.data.map((problem) => (
            <li key={`${problem.status}-${problem.reason ?? "none"}`}>
              <strong>{reasonLabel(problem.reason)}</strong> (
              {problem.status === "FAILED"
                ? "failed"
                : problem.status === "SKIPPED"
                  ? "skipped"
                  : "imported, noted"}
              ): {problem.count}
              <ul>
                {problem.examples.map((example) => (
                  <li key={example.key}>
                    <code>{example.key}</code>
                    {example.message ? ` — ${example.message}` : ""}
                  </li>
                ))}
                {problem.count > problem.examples.length ? (
                  <li>and {problem.count - problem.examples.length} more</li>
                ) : null}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
