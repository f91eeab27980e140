import { Card, EmptyState, PageHeader, StatCard, StatGrid } from "@cxr/ui";
import { type ReactNode } from "react";

/**
 * A role's landing page (worklist, tasks): its counts, then a card that says what is open or, when nothing
 * is, why not; `children` follow inside the card either way.
 */
export function QueueSummary(props: {
  title: string;
  description: string;
  countsLabel: string;
  counts: { label: string; value: number }[];
  cardTitle: string;
  /** null when nothing is open: the card shows `empty` instead */
  open: ReactNode | null;
  empty: { title: string; description: string };
  children?: ReactNode;
}) {
  return (
    <>
      <PageHeader title={props.title} description={props.description} />
      <StatGrid label={props.countsLabel}>
        {props.counts.map((c) => (
          <StatCard key={c.label} label={c.label} value={c.value} />
        ))}
      </StatGrid>
      <Card title={props.cardTitle}>
        {props.open === null ? <EmptyState {...props.empty} /> : <p>{props.open}</p>}
        {props.children}
      </Card>
    </>
  );
}
