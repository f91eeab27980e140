"use client";
// The image selection of a campaign (new, or images added to a running one), with its live count: the server
// counts the matching images as the filters change (debounced), before anything is saved.
import { modalities, viewPositions } from "@cxr/domain";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { imageSources, reviewedFilters, selectionSchema, type SelectionInput } from "~/lib/campaigns";
import { useTRPC } from "~/trpc/react";
import { Choice } from "~/components/Choice";

export interface SelectionOptions {
  classes: { key: string; name: string }[];
  importJobs: { id: string; format: string; sourceRef: string; imported: number }[];
}

const dateFields = [
  ["from", "Study date from"],
  ["to", "Study date to"],
] as const;
const classFields = [
  ["predictedClass", "Predicted class"],
  ["importedClass", "Imported label"],
] as const;
const reviewedText: Record<(typeof reviewedFilters)[number], string> = {
  any: "reviewed or not",
  reviewed: "already reviewed",
  unreviewed: "not reviewed yet",
};

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
          any
          label="Data set / source"
          value={s.source}
          options={imageSources}
          onChange={(source) => set({ source })}
        />
        <Choice
          any
          label="Import job"
          value={s.importJobId}
          options={options.importJobs.map((j) => j.id)}
          text={(id) => {
            const j = options.importJobs.find((x) => x.id === id)!;
            return `${j.format}: ${j.sourceRef} (${j.imported})`;
          }}
          onChange={(importJobId) => set({ importJobId })}
        />
        <Choice
          any
          label="Modality"
          value={s.modality}
          options={modalities}
          onChange={(modality) => set({ modality })}
        />
        <Choice
          any
          label="View"
          value={s.viewPosition}
          options={viewPositions}
          onChange={(viewPosition) => set({ viewPosition })}
        />
        {dateFields.map(([key, label]) => (
          <label className="admin-select" key={key}>
            {label}
            <input
              className="cxr-field__input"
              type="date"
              value={s[key] ?? ""}
              onChange={(e) => set({ [key]: e.target.value || undefined })}
            />
          </label>
        ))}
        {classFields.map(([key, label]) => (
          <Choice
            any
            key={key}
            label={label}
            value={s[key]}
            options={classKeys}
            text={className}
            onChange={(v) => set({ [key]: v })}
          />
        ))}
        <Choice
          label="Reviewed"
          value={s.reviewed ?? "any"}
          options={reviewedFilters}
          text={(r) => reviewedText[r]}
          onChange={(reviewed) => set({ reviewed })}
        />
        <label className="admin-select">
          At most (images)
          <input
            className="cxr-field__input"
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
