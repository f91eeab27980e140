"use client";
// Training runs: administrators preview and start one; everyone who may see models sees the runs.
import { Alert, Button, Card, DataTable, EmptyState, FormField, PageHeader, type Column } from "@cxr/ui";
import type { RunView, TrainingArchitecture, TrainingPreview } from "@cxr/inference-api";
import { labelSources, trainingModes, type LabelSource, type TrainingMode } from "@cxr/domain";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { formatDateTime } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { sourceLabel } from "../models/format";
import { isActive, modeLabel, runDuration, RunStatus } from "./format";
import { EpochsField, Select, trainingArchitectures } from "./fields";

export function TrainingView({ canChange }: { canChange: boolean }) {
  return (
    <div className="stack">
      <PageHeader
        title="Training"
        description="Train a model version from the labels readers gave; a candidate waits for a person's decision on its page unless you let a passed gate promote it."
      />
      {canChange && <StartForm />}
      <Runs />
    </div>
  );
}

/** An optional number: empty leaves the engine's default. */
const optionalNumber = (text: string) => (text.trim() === "" ? undefined : Number(text));

function StartForm() {
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
        {preview.data && <Preview preview={preview.data} />}
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

const counts = (c: { images: number; patients: number }) => `${c.images} img / ${c.patients} pt`;

function Preview({ preview }: { preview: TrainingPreview }) {
  return (
    <section className="stack" aria-label="Preview" data-testid="training-preview">
      <table className="models-table">
        <caption>
          What the run would train on ({counts(preview.total)} outside the locked test split,{" "}
          {preview.newSinceChampion} new since the champion)
        </caption>
        <thead>
          <tr>
            <th scope="col">Class</th>
            <th scope="col">Images / patients</th>
            <th scope="col">By source</th>
            <th scope="col">New since the champion</th>
          </tr>
        </thead>
        <tbody>
          {preview.classes.map((c) => (
            <tr key={c.key}>
              <th scope="row">
                {c.name}
                {c.retired ? " (retired)" : ""}
              </th>
              <td>{counts(c)}</td>
              <td>
                {Object.entries(c.bySource)
                  .map(([source, n]) => `${sourceLabel[source] ?? source}: ${counts(n)}`)
                  .join(", ") || "—"}
              </td>
              <td>{c.newSinceChampion}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p data-testid="preview-split">
        Split by patient: train {counts(preview.split.train)}, validation {counts(preview.split.validation)},
        locked test {counts(preview.split.test)}
        {preview.split.unassigned.images > 0 && `, not yet split ${counts(preview.split.unassigned)}`}.
      </p>
      <p data-testid="preview-start">
        {preview.startsFrom
          ? `Starts from the champion v${preview.startsFrom.version}.`
          : preview.mode === "FROM_SCRATCH"
            ? "Starts from scratch."
            : "No champion of this architecture to start from."}
      </p>
      {preview.skipped && preview.skipped.labels > 0 && (
        <p data-testid="preview-skipped">
          {preview.skipped.labels} label{preview.skipped.labels === 1 ? "" : "s"} of classes the champion does
          not predict will be skipped ({preview.skipped.classes.join(", ")}).
        </p>
      )}
      {preview.refusals.length > 0 && (
        <Alert tone="error">
          <strong>This run cannot start:</strong>
          <ul>
            {preview.refusals.map((r) => (
              <li key={r.code}>{r.message}</li>
            ))}
          </ul>
        </Alert>
      )}
    </section>
  );
}

function Runs() {
  const trpc = useTRPC();
  const runs = useQuery({
    ...trpc.training.list.queryOptions({}),
    staleTime: 0,
    // while any run is going, its status and duration change
    refetchInterval: (q) => (q.state.data?.some((r) => isActive(r.status)) ? 3000 : false),
  });
  return (
    <Card title="Runs">
      {runs.isError && <Alert tone="error">The runs could not be loaded: {runs.error.message}</Alert>}
      {runs.isPending && <p role="status">Loading runs…</p>}
      {runs.data && runs.data.length === 0 && (
        <EmptyState
          title="No runs yet"
          description="Runs started here or by a retraining policy appear here."
        />
      )}
      {runs.data && runs.data.length > 0 && (
        <DataTable
          caption="Training runs, newest first"
          columns={columns}
          rows={runs.data}
          rowKey={(r) => r.id}
        />
      )}
    </Card>
  );
}

const columns: Column<RunView>[] = [
  {
    key: "run",
    header: "Run",
    cell: (r) => (
      <Link href={`/training/${r.id}`} data-testid="run-link">
        {formatDateTime(r.queuedAt)}
      </Link>
    ),
  },
  { key: "status", header: "Status", cell: (r) => <RunStatus status={r.status} /> },
  { key: "labelSet", header: "Label set", cell: (r) => r.labelSet },
  { key: "mode", header: "Mode", cell: (r) => modeLabel[r.mode] ?? r.mode },
  { key: "arch", header: "Architecture", cell: (r) => r.architecture.toLowerCase() },
  { key: "epochs", header: "Epochs", cell: (r) => `${r.currentEpoch} / ${r.epochs}` },
  { key: "duration", header: "Duration", cell: (r) => runDuration(r) },
  { key: "by", header: "Started by", cell: (r) => r.startedBy?.name ?? "the service" },
  {
    key: "version",
    header: "Version",
    cell: (r) =>
      r.progress?.modelVersionId ? <Link href={`/models/${r.progress.modelVersionId}`}>candidate</Link> : "—",
  },
];
