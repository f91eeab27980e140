"use client";
// The campaign form's mode (standard or reader study) and a reader study's fields: the study class readers rate,
// the washout and the design. A reader study's readers read every case, so reads per image follows the readers.
import { readerStudyDesigns } from "@cxr/domain";
import { Card, FormField } from "@cxr/ui";
import { useEffect } from "react";
import { type NewCampaignInput } from "~/lib/campaigns";
import { campaignModes, defaultReaderStudy, designLabels, type ReaderStudyInput } from "~/lib/reader-study";
import { Choice } from "~/components/Choice";

type Fields = Pick<NewCampaignInput, "mode" | "readerStudy" | "readerIds" | "readsPerImage">;

const modeLabels = { STANDARD: "Standard", READER_STUDY: "Reader study (unaided vs aided)" };

export function ReaderStudyFields(props: {
  form: Fields;
  classes: { key: string; name: string }[];
  set: (patch: Partial<Fields>) => void;
}) {
  const { form, classes, set } = props;
  const study = form.mode === "READER_STUDY" ? (form.readerStudy ?? null) : null;
  const readers = new Set(form.readerIds).size;
  const keys = classes.map((c) => c.key);
  const fallback = keys.find((k) => k.includes("covid")) ?? keys[0] ?? "";
  useEffect(() => {
    if (!study) return;
    const patch: Partial<Fields> = {};
    if (form.readsPerImage !== Math.max(1, readers)) patch.readsPerImage = Math.max(1, readers);
    // another label set: its own classes
    if (!keys.includes(study.studyClass)) patch.readerStudy = { ...study, studyClass: fallback };
    if (Object.keys(patch).length) set(patch);
  });
  const change = (patch: Partial<ReaderStudyInput>) => study && set({ readerStudy: { ...study, ...patch } });

  return (
    <Card title="Mode">
      <div className="admin-form admin-form--wide">
        <Choice
          label="Mode"
          value={form.mode ?? "STANDARD"}
          options={campaignModes}
          text={(m) => modeLabels[m]}
          onChange={(mode) =>
            set({
              mode,
              readerStudy:
                mode === "READER_STUDY" ? (form.readerStudy ?? defaultReaderStudy(fallback)) : null,
            })
          }
        />
        {study ? (
          <>
            <Choice
              label="Study class (readers rate 0-100 that it is present)"
              value={study.studyClass}
              options={keys}
              text={(k) => classes.find((c) => c.key === k)?.name ?? k}
              onChange={(studyClass) => studyClass && change({ studyClass })}
            />
            <FormField
              label="Washout (days)"
              type="number"
              min={0}
              max={365}
              value={study.washoutDays}
              onChange={(e) => change({ washoutDays: Number(e.target.value) })}
            />
            <Choice
              label="Design"
              value={study.design}
              options={readerStudyDesigns}
              text={(d) => designLabels[d]}
              onChange={(design) => design && change({ design })}
            />
            <p className="muted">
              Every reader reads every case in both phases ({readers} reads per case and phase); the consensus
              rule does not apply.
            </p>
          </>
        ) : null}
      </div>
    </Card>
  );
}
