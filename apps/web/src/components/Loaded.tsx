"use client";
import { Alert, DataTable, EmptyState, type Column } from "@cxr/ui";
import { type UseQueryResult } from "@tanstack/react-query";
import { type ReactNode } from "react";

/** A query's three states: its error named (`what` could not be loaded), a loading line, or its data. */
export function Loaded<T, E extends { message: string }>(props: {
  query: UseQueryResult<T, E>;
  what: string;
  children: (data: T) => ReactNode;
}) {
  const { query, what } = props;
  if (query.isError)
    return <Alert tone="error">{`The ${what} could not be loaded: ${query.error.message}`}</Alert>;
  if (query.isPending) return <p role="status">Loading {what}…</p>;
  return <>{props.children(query.data)}</>;
}

/** A query's rows as a table (or its error, or a loading line); `empty` when there are none. */
export function LoadedTable<T, E extends { message: string }>(props: {
  query: UseQueryResult<T[], E>;
  what: string;
  caption: string;
  columns: Column<T>[];
  rowKey: (row: T) => string;
  empty: { title: string; description: string };
}) {
  return (
    <Loaded query={props.query} what={props.what}>
      {(rows) => (
        <DataTable
          caption={props.caption}
          columns={props.columns}
          rows={rows}
          rowKey={props.rowKey}
          empty={<EmptyState {...props.empty} />}
        />
      )}
    </Loaded>
  );
}
