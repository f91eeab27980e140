"use client";
// The reader's queue with its filters: most uncertain first, each entry with its model version.
import { type QueueData, type QueueInput } from "./types";

export type QueueFilters = Omit<QueueInput, "limit">;

interface Props {
  filters: QueueFilters;
  onFilters: (f: QueueFilters) => void;
  models: { id: string; label: string; status: string }[];
  classes: { key: string; name: string }[];
  queue: QueueData | undefined;
  currentId: string | null;
  done: ReadonlySet<string>;
  onOpen: (imageId: string) => void;
}

const views = ["PA", "AP", "APS", "L", "AXIAL", "CORONAL"] as const;
const modalities = ["CR", "DX", "CT"] as const;

export function QueuePanel(p: Props) {
  const set = (patch: Partial<QueueFilters>) => p.onFilters({ ...p.filters, ...patch });
  const entries = p.queue?.entries.filter((e) => !p.done.has(e.imageId)) ?? [];
  return (
    <aside className="review-queue" aria-labelledby="queue-title">
      <h2 id="queue-title" className="review-panel__title">
        Queue
      </h2>
      <details className="review-filters">
        <summary>Filters</summary>
        <label>
          Model
          <select
            value={p.filters.modelVersionId ?? ""}
            onChange={(e) => set({ modelVersionId: e.target.value || undefined })}
          >
            <option value="">current champion</option>
            {p.models.map((m) => (
              <option key={m.id} value={m.id}>
                {m.label} ({m.status.toLowerCase()})
              </option>
            ))}
          </select>
        </label>
        <ClassSelect
          label="Predicted"
          classes={p.classes}
          value={p.filters.predictedClassKey}
          onChange={(predictedClassKey) => set({ predictedClassKey })}
        />
        <ClassSelect
          label="True label"
          classes={p.classes}
          value={p.filters.trueClassKey}
          onChange={(trueClassKey) => set({ trueClassKey })}
        />
        <label>
          Modality
          <select
            value={p.filters.modality ?? ""}
            onChange={(e) => set({ modality: (e.target.value || undefined) as QueueFilters["modality"] })}
          >
            <option value="">any</option>
            {modalities.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
        <label>
          View
          <select
            value={p.filters.viewPosition ?? ""}
            onChange={(e) =>
              set({ viewPosition: (e.target.value || undefined) as QueueFilters["viewPosition"] })
            }
          >
            <option value="">any</option>
            {views.map((v) => (
              <option key={v}>{v}</option>
            ))}
          </select>
        </label>
        <label>
          From
          <input
            type="date"
            onChange={(e) => set({ from: e.target.value ? new Date(e.target.value) : undefined })}
          />
        </label>
        <label>
          To
          <input
            type="date"
            onChange={(e) =>
              set({ to: e.target.value ? new Date(`${e.target.value}T23:59:59Z`) : undefined })
            }
          />
        </label>
        <label className="review-filters__check">
          <input
            type="checkbox"
            checked={p.filters.pneumoniaAsCovid ?? false}
            onChange={(e) => set({ pneumoniaAsCovid: e.target.checked || undefined })}
          />
          Pneumonia predicted as COVID-19
        </label>
      </details>
      {entries.length === 0 ? (
        <p className="review-muted">{p.queue ? "Nothing left to read with these filters." : "Loading…"}</p>
      ) : (
        <ol className="review-queue__list" data-testid="queue">
          {entries.map((e) => (
            <li key={e.imageId}>
              <button
                type="button"
                className="review-queue__entry"
                aria-current={e.imageId === p.currentId ? "true" : undefined}
                onClick={() => p.onOpen(e.imageId)}
              >
                <span>
                  {e.predictedClassName} {Math.round(e.confidence * 100)}%
                </span>
                <span className="review-muted">
                  {e.modality} {e.viewPosition ?? ""} · H {e.entropy?.toFixed(2) ?? "—"} · {e.modelLabel}
                </span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </aside>
  );
}

/** A filter over the label set's classes; the empty choice means "any". */
function ClassSelect(props: {
  label: string;
  classes: readonly { key: string; name: string }[];
  value: string | undefined;
  onChange: (key: string | undefined) => void;
}) {
  return (
    <label>
      {props.label}
      <select value={props.value ?? ""} onChange={(e) => props.onChange(e.target.value || undefined)}>
        <option value="">any</option>
        {props.classes.map((c) => (
          <option key={c.key} value={c.key}>
            {c.name}
          </option>
        ))}
      </select>
    </label>
  );
}
