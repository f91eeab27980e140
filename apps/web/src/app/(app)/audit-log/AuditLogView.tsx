"use client";
// The append-only audit log: filters, a server-paginated table (newest first, by keyset) and the filtered log
// as CSV.
import { Alert, Button, Card, DataTable, PageHeader, type Column } from "@cxr/ui";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { formatDateTime } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import "../audit/audit.css";

interface Filters {
  actor?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  from?: string;
  to?: string;
}

const fields: { key: keyof Filters; label: string; type?: string }[] = [
  { key: "actor", label: "Actor (e-mail or name)" },
  { key: "action", label: "Action (or its start, e.g. read.)" },
  { key: "entityType", label: "Entity" },
  { key: "entityId", label: "Entity id" },
  { key: "from", label: "From", type: "datetime-local" },
  { key: "to", label: "To", type: "datetime-local" },
];

const PAGE = 50;

/** datetime-local values are the browser's local time; the server gets instants */
const toQuery = (f: Filters) =>
  Object.fromEntries(
    Object.entries(f)
      .filter(([, v]) => v)
      .map(([k, v]) => [k, k === "from" || k === "to" ? new Date(v as string).toISOString() : v]),
  ) as Filters;

export function AuditLogView() {
  const trpc = useTRPC();
  const [filters, setFilters] = useState<Filters>({});
  // cursors of the pages before the current one (the first page has none)
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const query = toQuery(filters);
  const page = useQuery({
    ...trpc.history.auditLog.queryOptions({ ...query, cursor, limit: PAGE }),
    placeholderData: keepPreviousData,
  });

  const apply = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    setFilters(Object.fromEntries(fields.map((f) => [f.key, String(data.get(f.key) ?? "").trim()])));
    setCursors([]);
  };
  type Event = NonNullable<typeof page.data>["events"][number];
  const columns: Column<Event>[] = [
    {
      key: "at",
      header: "When",
      cell: (e) => <time dateTime={e.at.toISOString()}>{formatDateTime(e.at)}</time>,
    },
    {
      key: "actor",
      header: "Actor",
      cell: (e) => (e.actor ? `${e.actor.name} (${e.actorRole ?? "?"})` : "system"),
    },
    { key: "action", header: "Action", cell: (e) => <code>{e.action}</code> },
    { key: "entity", header: "Entity", cell: (e) => `${e.entityType} ${e.entityId}` },
    { key: "reason", header: "Why", cell: (e) => e.reason ?? "" },
    {
      key: "change",
      header: "Change",
      cell: (e) => <code>{e.after === null ? "" : JSON.stringify(e.after).slice(0, 160)}</code>,
    },
  ];
  const csv = `/api/exports/audit-log.csv?${new URLSearchParams(query as Record<string, string>).toString()}`;

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every recorded change, who made it, when and why: read straight from the append-only table."
        actions={
          <a href={csv} download data-testid="audit-log-csv">
            Download CSV
          </a>
        }
      />
      <Card>
        <form className="audit-controls" onSubmit={apply} data-testid="audit-log-filters">
          {fields.map((f) => (
            <label key={f.key}>
              {f.label}
              <input name={f.key} type={f.type ?? "text"} defaultValue={filters[f.key] ?? ""} />
            </label>
          ))}
          <Button type="submit">Filter</Button>
        </form>
      </Card>
      {page.isError ? (
        <Alert tone="error">The audit log could not be loaded: {page.error.message}</Alert>
      ) : !page.data ? (
        <p role="status">Loading…</p>
      ) : (
        <Card title={`${page.data.total} events`}>
          <div className="audit-log-table" data-testid="audit-log-table">
            <DataTable
              caption="Audit events, newest first"
              columns={columns}
              rows={page.data.events}
              rowKey={(e) => e.id}
              empty={<p className="audit-muted">No event matches these filters.</p>}
            />
          </div>
          <div className="audit-links">
            <Button
              type="button"
              disabled={cursors.length === 0}
              onClick={() => setCursors((c) => c.slice(0, -1))}
            >
              Newer
            </Button>
            <span className="audit-muted">page {cursors.length + 1}</span>
            <Button
              type="button"
              disabled={!page.data.nextCursor}
              onClick={() => page.data?.nextCursor && setCursors((c) => [...c, page.data.nextCursor!])}
              data-testid="audit-log-older"
            >
              Older
            </Button>
          </div>
        </Card>
      )}
    </>
  );
}
