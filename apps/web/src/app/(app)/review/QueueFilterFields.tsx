"use client";
// The queue's filters: model version, predicted and true class, modality, view, study dates, and the costly
// confusion (pneumonia predicted as COVID-19). Hidden for an annotator, whose queue is their campaigns.
import { modalities, viewPositions } from "@cxr/domain";
import { type QueueFilters } from "~/lib/review/api-types";
import { Picker } from "./Picker";

export interface QueueFilterProps {
  filters: QueueFilters;
  onFilters: (f: QueueFilters) => void;
  models: { id: string; label: string; status: string }[];
  classes: { key: string; name: string }[];
  hidden: boolean;
}

export function QueueFilterFields(p: QueueFilterProps) {
  const set = (patch: Partial<QueueFilters>) => p.onFilters({ ...p.filters, ...patch });
  return (
    <details className="review-filters" hidden={p.hidden}>
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
          {viewPositions.map((v) => (
            <option key={v}>{v}</option>
          ))}
        </select>
      </label>
      <p className="review-muted" id="study-date-help">
        Study date: when the image was acquired (else the study&apos;s date; the import date only when neither
        is known).
      </p>
      <label>
        Study date from
        <input
          type="date"
          aria-describedby="study-date-help"
          onChange={(e) => set({ from: e.target.value ? new Date(e.target.value) : undefined })}
        />
      </label>
      <label>
        Study date to
        <input
          type="date"
          aria-describedby="study-date-help"
          onChange={(e) =>
            set({ to: e.target.value ? new Date(`${e.target.value}T23:59:59.999Z`) : undefined })
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
    <Picker
      label={props.label}
      value={props.value ?? ""}
      onChange={(key) => props.onChange(key || undefined)}
      options={props.classes.map((c) => ({ value: c.key, text: c.name }))}
    >
      <option value="">any</option>
    </Picker>
  );
}
