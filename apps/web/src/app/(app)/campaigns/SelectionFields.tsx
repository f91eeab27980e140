"use client";
// The image selection of a campaign (new, or images added to a running one), with its live count: the server
// counts the matching images as the filters change (debounced), before anything is saved.
import { modalities, viewPositions } from "@cxr/domain";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { imageSources, reviewedFilters, selectionSchema, type SelectionInput } from "~/lib/campaigns";
import { useTRPC } from "~/trpc/react";

export interface SelectionOptions {
  classes: { key: string; name: string }[];
  importJobs: { id: string; format: string; sourceRef: string; imported: number }[];
}

function Choice<T extends string>(props: {
  label: string;
  value: T | undefined;
  options: readonly T[];
  text?: (v: T) => string;
  onChange: (v: T | undefined) => void;
}) {
  return (
    <label className="admin-select">
      {props.label}
      <select
        value={props.value ?? ""}
        onChange={(e) => props.onChange((e.target.value || undefined) as T | undefined)}
      >
        <option value="">any</option>
        {props.options.map((o) => (
          <option key={o} value={o}>
            {props.text ? props.text(o) : o}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Waits `ms` after the last change, so typing a date does not send a count per keystroke. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export function SelectionFields(props: {
  labelSetId: string | undefined;
  /** a running campaign the images are added to: only images outside it are counted */
  campaignId?: string;
  options: SelectionOptions;
  value: SelectionInput;
  onChange: (s: SelectionInput) => void;
}) {
  const { value: s, onChange, options } = props;
  const set = (patch: Partial<SelectionInput>) => onChange({ ...s, ...patch });
  const trpc = useTRPC();
  const settled = useDebounced(s, 250);
  const valid = selectionSchema.safeParse(settled);
  const count = useQuery({
    ...trpc.campaigns.count.queryOptions({
      labelSetId: props.labelSetId ?? "",
      selection: settled,
      campaignId: props.campaignId,
    }),
    enabled: Boolean(props.labelSetId) && valid.success,
    staleTime: 0,
  });
  const classKeys = options.classes.map((c) => c.key);
  const className = (key: string) => options.classes.find((c) => c.key === key)?.name ?? key;
  const confusion = classKeys.includes("pneumonia") && classKeys.includes("covid-19");

  return (
    <>
      <div className="admin-form">
        <Choice
          label="Data set / source"
          value={s.source}
          options={imageSources}
          onChange={(source) => set({ source })}
        />
        <label className="admin-select">
          Import job
          <select
            value={s.importJobId ?? ""}
            onChange={(e) => set({ importJobId: e.target.value || undefined })}
          >
            <option value="">any</option>
            {options.importJobs.map((j) => (
              <option key={j.id} value={j.id}>
                {j.format}: {j.sourceRef} ({j.imported})
              </option>
            ))}
          </select>
        </label>
        <Choice
          label="Modality"
          value={s.modality}
          options={modalities}
          onChange={(modality) => set({ modality })}
        />
        <Choice
          label="View"
          value={s.viewPosition}
          options={viewPositions}
          onChange={(viewPosition) => set({ viewPosition })}
        />
        <label className="admin-select">
          Study date from
          <input
            type="date"
            value={s.from ?? ""}
            onChange={(e) => set({ from: e.target.value || undefined })}
          />
        </label>
        <label className="admin-select">
          Study date to
          <input type="date" value={s.to ?? ""} onChange={(e) => set({ to: e.target.value || undefined })} />
        </label>
        <Choice
          label="Predicted class"
          value={s.predictedClass}
          options={classKeys}
          text={className}
          onChange={(predictedClass) => set({ predictedClass })}
        />
        <Choice
          label="Imported label"
          value={s.importedClass}
          options={classKeys}
          text={className}
          onChange={(importedClass) => set({ importedClass })}
        />
        <label className="admin-select">
          Reviewed
          <select
            value={s.reviewed ?? "any"}
            onChange={(e) => set({ reviewed: e.target.value as (typeof reviewedFilters)[number] })}
          >
            {reviewedFilters.map((r) => (
              <option key={r} value={r}>
                {r === "any" ? "reviewed or not" : r === "reviewed" ? "already reviewed" : "not reviewed yet"}
              </option>
            ))}
          </select>
        </label>
        <label className="admin-select">
          At most (images)
          <input
            type="number"
            min={1}
            max={5000}
            value={s.limit ?? 200}
            onChange={(e) => set({ limit: Number(e.target.value) })}
          />
        </label>
      </div>
      {confusion ? (
        <label className="admin-actions" style={{ marginTop: "0.75rem" }}>
          <input
            type="checkbox"
            checked={s.importedClass === "pneumonia" && s.predictedClass === "covid-19"}
            onChange={(e) =>
              set(
                e.target.checked
                  ? { importedClass: "pneumonia", predictedClass: "covid-19" }
                  : { importedClass: undefined, predictedClass: undefined },
              )
            }
          />
          Pneumonia predicted as COVID-19 (imported label pneumonia, model says COVID-19)
        </label>
      ) : null}
      <p className="admin-count" role="status" aria-live="polite" data-testid="selection-count">
        {!props.labelSetId
          ? "Choose a label set to count the images."
          : !valid.success
            ? (valid.error.issues[0]?.message ?? "The selection is not valid.")
            : count.isError
              ? `The images could not be counted: ${count.error.message}`
              : count.data
                ? `${count.data.matching} image(s) match; the campaign ${props.campaignId ? "adds" : "takes"} ${count.data.taken}.`
                : "Counting…"}
      </p>
    </>
  );
}
