"use client";
// The form that starts a training run, with a live preview of what it would train on (administrators only).
import { Alert, Button, Card, FormField } from "@cxr/ui";
import type { TrainingArchitecture } from "@cxr/inference-api";
import { labelSources, trainingModes, type LabelSource, type TrainingMode } from "@cxr/domain";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { sourceLabel } from "../models/format";
import { modeLabel } from "./format";
import { EpochsField, Select, trainingArchitectures } from "./fields";
import { TrainingPreviewTable } from "./TrainingPreviewTable";

/** An optional number: empty leaves the engine's default. */
const optionalNumber = (text: string) => (text.trim() === "" ? undefined : Number(text));

export function StartForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [labelSet, setLabelSet] = useState("cxr-4class");
  const [architecture, setArchitecture] = useState<TrainingArchitecture>("compact");
  const [mode, setMode] = useState<TrainingMode>("HEAD_ONLY");
  const [sources, setSources] = useState<LabelSource[]>([...labelSources]);
  const [epochs, setEpochs] = useState("10");
  const [batchSize, setBatchSize] = useState("");
  const [roiWeight, setRoiWeight] = useState("");
  const [autoPromote, setAutoPromote] = useState(false);
  const previewInput = { labelSet, architecture, mode, labelSources: sources };
  const preview = useQuery({
    ...trpc.training.preview.queryOptions(previewInput),
    enabled: labelSet.trim() !== "" && sources.length > 0,
    staleTime: 0,
    placeholderData: keepPreviousData,
  });
  const start = useMutation(
    trpc.training.start.mutationOptions({
      onSuccess: async (run) => {
        await queryClient.invalidateQueries({ queryKey: trpc.training.pathKey() });
        router.push(`/training/${run.id}`);
      },
    }),
  );
  const refused = (preview.data?.refusals.length ?? 0) > 0;
  const toggle = (source: LabelSource) =>
    setSources((s) => (s.includes(source) ? s.filter((x) => x !== source) : [...s, source]));

  return (
    <Card title="Start a run">
      <form
        className="training-form"
        aria-label="Start a training run"
        onSubmit={(e) => {
          e.preventDefault();
          start.mutate({
            ...previewInput,
            epochs: Number(epochs),
            batchSize: optionalNumber(batchSize),
            roiWeight: optionalNumber(roiWeight),
            autoPromote,
          });
        }}
      >
        <div className="training-form__fields">
          <FormField
            label="Label set"
            value={labelSet}
            onChange={(e) => setLabelSet(e.target.value)}
            required
          />
          <Select
            label="Architecture"
            value={architecture}
            options={trainingArchitectures}
            onChange={setArchitecture}
          />
          <Select label="Mode" value={mode} options={trainingModes} names={modeLabel} onChange={setMode} />
          <EpochsField value={epochs} onChange={setEpochs} />
          <FormField
            label="Batch size"
            type="number"
            min={1}
            max={512}
            value={batchSize}
            placeholder="engine's choice"
            onChange={(e) => setBatchSize(e.target.value)}
          />
          <FormField
            label="ROI-guidance weight"
            type="number"
            min={0}
            max={1}
            step={0.05}
            value={roiWeight}
            placeholder="engine's default"
            onChange={(e) => setRoiWeight(e.target.value)}
          />
        </div>
        <fieldset className="training-form__sources">
          <legend>Label sources</legend>
          {labelSources.map((s) => (
            <label key={s}>
              <input type="checkbox" checked={sources.includes(s)} onChange={() => toggle(s)} />{" "}
              {sourceLabel[s] ?? s}
            </label>
          ))}
        </fieldset>
        <label className="training-form__check">
          <input type="checkbox" checked={autoPromote} onChange={(e) => setAutoPromote(e.target.checked)} />{" "}
          Promote automatically when the gate passes (off: the candidate waits for a person)
        </label>
        {preview.isError && <Alert tone="error">No preview: {preview.error.message}</Alert>}
        {preview.data && <TrainingPreviewTable preview={preview.data} />}
        {start.error && <Alert tone="error">{start.error.message}</Alert>}
        <div className="models-actions">
          <Button type="submit" disabled={start.isPending || !preview.data || refused || preview.isFetching}>
            Start training
          </Button>
        </div>
      </form>
    </Card>
  );
}
