"use client";
// The reader's queue with its filters: their campaigns' assignments in each campaign's order, or every
// unreviewed image, most uncertain first; each entry with its model version (none for a blinded case).
import { type QueueData, type QueueFilters } from "~/lib/review/api-types";
import { QueueFilterFields, type QueueFilterProps } from "./QueueFilterFields";

interface Props extends Omit<QueueFilterProps, "hidden"> {
  queue: QueueData | undefined;
  currentId: string | null;
  done: ReadonlySet<string>;
  onOpen: (imageId: string) => void;
  /** an annotator's queue: their campaigns only, no model filters */
  campaignsOnly?: boolean;
  /** an audit's queue: the open case's position (0-based; null when not on the loaded page) in its selection */
  audit?: { position: number | null; total: number; goTo: (position: number) => void } | null;
}

const day = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

const strategyOrder: Record<string, string> = {
  FIFO: "in the order assigned",
  RANDOM: "in random order",
  ENTROPY: "most uncertain first",
  MARGIN: "closest calls first",
  LEAST_CONFIDENCE: "least confident first",
  BALD: "most model disagreement first",
  COMMITTEE_DISAGREEMENT: "most disagreement between models first",
  CRITICAL_CONFUSION: "pneumonia / COVID-19 doubts first",
};

/** The queue selector: all the reader's campaigns, one of them, or every unreviewed image. */
function scopeValue(f: QueueFilters): string {
  if (f.scope === "unreviewed") return "unreviewed";
  return f.campaignId ?? "all";
}

function scopeFilters(value: string): Pick<QueueFilters, "scope" | "campaignId"> {
  if (value === "unreviewed") return { scope: "unreviewed", campaignId: undefined };
  if (value === "all") return { scope: "auto", campaignId: undefined };
  return { scope: "campaigns", campaignId: value };
}

export function QueuePanel(p: Props) {
  const set = (patch: Partial<QueueFilters>) => p.onFilters({ ...p.filters, ...patch });
  const entries = p.queue?.entries.filter((e) => !p.done.has(e.imageId)) ?? [];
  const campaigns = p.queue?.campaigns ?? [];
  const inCampaigns = p.queue?.scope === "campaigns";
  const chosen = campaigns.find((c) => c.id === p.queue?.campaignId);
  const order =
    p.queue?.scope === "audit"
      ? "Audit cases from the audit page (reviewed or not), most confident first"
      : inCampaigns
        ? chosen
          ? `${chosen.name}: ${strategyOrder[chosen.strategy] ?? "by the campaign's strategy"}`
          : "Your campaigns, each in its strategy's order"
        : "Every unreviewed image, most uncertain first";
  return (
    <aside className="review-queue" aria-labelledby="queue-title">
      <h2 id="queue-title" className="review-panel__title">
        Queue
      </h2>
      <label className="review-queue__scope">
        Cases
        <select
          aria-label="Queue"
          data-testid="queue-scope"
          value={campaigns.length > 0 ? scopeValue(p.filters) : "unreviewed"}
          disabled={campaigns.length === 0}
          onChange={(e) => set(scopeFilters(e.target.value))}
        >
          {campaigns.length > 0 ? (
            <option value="all">All my campaigns ({campaigns.reduce((n, c) => n + c.open, 0)} open)</option>
          ) : null}
          {campaigns.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} ({c.open} open{c.blinded ? ", blinded" : ""})
            </option>
          ))}
          {p.campaignsOnly ? null : <option value="unreviewed">Unassigned: all unreviewed</option>}
        </select>
        <span className="review-muted" data-testid="queue-order">
          {order}
        </span>
      </label>
      <QueueFilterFields
        filters={p.filters}
        onFilters={p.onFilters}
        models={p.models}
        classes={p.classes}
        hidden={p.campaignsOnly ?? false}
      />
      {p.audit ? <AuditSteps {...p.audit} /> : null}
      {entries.length === 0 ? (
        <p className="review-muted">{p.queue ? "Nothing left to read with these filters." : "Loading…"}</p>
      ) : (
        <ol className="review-queue__list" data-testid="queue" data-scope={p.queue?.scope}>
          {entries.map((e) => (
            <li key={e.assignmentId ?? e.imageId}>
              <button
                type="button"
                className="review-queue__entry"
                aria-current={e.imageId === p.currentId ? "true" : undefined}
                data-image-id={e.imageId}
                onClick={() => p.onOpen(e.imageId)}
              >
                <span>
                  {e.blinded
                    ? "Blinded case"
                    : e.predictedClassName
                      ? `${e.predictedClassName} ${Math.round((e.confidence ?? 0) * 100)}%`
                      : "No prediction"}
                </span>
                <span className="review-muted">
                  {e.modality} {e.viewPosition ?? ""} · {day.format(new Date(e.studyDate))}
                  {e.blinded ? "" : ` · H ${e.entropy?.toFixed(2) ?? "—"}`}
                  {e.modelLabel ? ` · ${e.modelLabel}` : ""}
                  {e.campaignName ? ` · ${e.campaignName}` : ""}
                </span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </aside>
  );
}

/** "case 31 of 75" with steps back and forth through an audit's whole selection. */
function AuditSteps({ position, total, goTo }: NonNullable<Props["audit"]>) {
  return (
    <nav className="review-audit-steps" aria-label="Audit cases" data-testid="audit-steps">
      <button
        type="button"
        className="review-link"
        disabled={position === null || position === 0}
        onClick={() => position !== null && goTo(position - 1)}
      >
        ← previous
      </button>
      <span data-testid="audit-position">
        case {position === null ? "–" : position + 1} of {total}
      </span>
      <button
        type="button"
        className="review-link"
        disabled={position === null || position + 1 >= total}
        onClick={() => position !== null && goTo(position + 1)}
      >
        next →
      </button>
    </nav>
  );
}
