"use client";
// The open image's history beside the viewer: reads, corrections, consensus, predictions (with their model
// version) and ROI changes, oldest first, each with who, when and why. Folded by default so the reading
// panels keep their place; opened, it loads (and follows the case).
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { formatDateTime } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import "../audit/audit.css";

const kindLabel: Record<string, string> = {
  read: "Read",
  correction: "Correction",
  import: "Imported label",
  consensus: "Consensus",
  prediction: "Prediction",
  roi: "ROI",
};

export function CaseTimeline({ imageId }: { imageId: string }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const history = useQuery({ ...trpc.history.image.queryOptions({ imageId }), enabled: open });
  return (
    <details
      className="review-panel case-timeline"
      data-testid="case-timeline"
      open={open}
      onToggle={(e) => setOpen(e.currentTarget.open)}
    >
      <summary className="review-panel__title">History</summary>
      {history.isError ? (
        <p role="alert">The history could not be loaded: {history.error.message}</p>
      ) : !history.data ? (
        <p className="review-muted">Loading…</p>
      ) : history.data.length === 0 ? (
        <p className="review-muted">Nothing recorded yet.</p>
      ) : (
        <ol className="case-timeline__list">
          {history.data.map((e, i) => (
            <li key={i} className={`case-timeline__item case-timeline__item--${e.kind}`}>
              <span className="case-timeline__kind">{kindLabel[e.kind] ?? e.kind}</span>{" "}
              <strong>{e.what}</strong>
              <br />
              <span className="review-muted">
                {e.who} · <time dateTime={e.at.toISOString()}>{formatDateTime(e.at)}</time>
              </span>
              {e.why ? <q className="case-timeline__why">{e.why}</q> : null}
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
