"use client";
// A label set's retraining policy: shown to everyone who sees models, edited by administrators.
import { Alert, Button, FormField } from "@cxr/ui";
import type { PolicyView, TrainingArchitecture } from "@cxr/inference-api";
import { trainingModes, type TrainingMode } from "@cxr/domain";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { formatDateTime } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { modeLabel } from "../training/format";
import { EpochsField, Select, trainingArchitectures } from "../training/fields";

const toArchitecture: Record<string, TrainingArchitecture> = {
  COMPACT_CNN: "compact",
  VGG16: "vgg16",
  DENSENET121: "densenet121",
  RESNET50: "resnet50",
};

export function PolicyPanel({ labelSet, canChange }: { labelSet: string; canChange: boolean }) {
  const trpc = useTRPC();
  const policy = useQuery({ ...trpc.training.policy.queryOptions({ labelSet }), staleTime: 0 });
  const [editing, setEditing] = useState(false);
  if (policy.isError)
    return <Alert tone="error">The retraining policy could not be loaded: {policy.error.message}</Alert>;
  if (policy.isPending) return <p role="status">Loading the retraining policy…</p>;
  const p = policy.data;
  return (
    <section
      className="stack"
      aria-label={`Retraining policy of ${labelSet}`}
      data-testid="retraining-policy"
    >
      <h3 className="training-subtitle">Retraining policy</h3>
      {p ? (
        <PolicySummary policy={p} />
      ) : (
        <p className="models-muted">No policy: runs start only when someone starts them.</p>
      )}
      {canChange && !editing && (
        <div className="models-actions">
          <Button variant="ghost" onClick={() => setEditing(true)}>
            {p ? "Edit the policy" : "Set a policy"}
          </Button>
        </div>
      )}
      {canChange && editing && <PolicyForm labelSet={labelSet} current={p} done={() => setEditing(false)} />}
    </section>
  );
}

function PolicySummary({ policy: p }: { policy: PolicyView }) {
  return (
    <p data-testid="policy-summary">
      {p.enabled ? "On" : "Off"}: after {p.threshold} new consensus or corrected labels since the champion, a{" "}
      {modeLabel[p.mode] ?? p.mode} run of {p.architecture.toLowerCase()} for {p.epochs} epochs, promoted only
      when the gate passes. {p.newLabels} new so far. Last trigger:{" "}
      {p.lastTriggeredAt ? formatDateTime(p.lastTriggeredAt) : "never"}
      {p.lastRun && (
        <>
          {" "}
          (<Link href={`/training/${p.lastRun.id}`}>run {p.lastRun.status.toLowerCase()}</Link>)
        </>
      )}
      . Set by {p.updatedBy?.name ?? "—"}, {formatDateTime(p.updatedAt)}.
    </p>
  );
}

function PolicyForm({
  labelSet,
  current,
  done,
}: {
  labelSet: string;
  current: PolicyView | null;
  done: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [enabled, setEnabled] = useState(current?.enabled ?? true);
  const [threshold, setThreshold] = useState(String(current?.threshold ?? 50));
  const [mode, setMode] = useState<TrainingMode>(current?.mode ?? "HEAD_ONLY");
  const [epochs, setEpochs] = useState(String(current?.epochs ?? 10));
  const [architecture, setArchitecture] = useState<TrainingArchitecture>(
    toArchitecture[current?.architecture ?? "COMPACT_CNN"] ?? "compact",
  );
  const save = useMutation(
    trpc.training.setPolicy.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.training.policy.queryKey({ labelSet }) });
        done();
      },
    }),
  );
  return (
    <form
      className="stack"
      aria-label={`Retraining policy of ${labelSet}`}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({
          labelSet,
          enabled,
          threshold: Number(threshold),
          mode,
          architecture,
          epochs: Number(epochs),
        });
      }}
    >
      <label className="training-form__check">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Retrain by
        itself
      </label>
      <div className="training-form__fields">
        <FormField
          label="New labels that start a run"
          type="number"
          min={1}
          value={threshold}
          onChange={(e) => setThreshold(e.target.value)}
          required
        />
        <Select label="Mode" value={mode} options={trainingModes} names={modeLabel} onChange={setMode} />
        <Select
          label="Architecture"
          value={architecture}
          options={trainingArchitectures}
          onChange={setArchitecture}
        />
        <EpochsField value={epochs} onChange={setEpochs} />
      </div>
      {save.error && <Alert tone="error">{save.error.message}</Alert>}
      <div className="models-actions">
        <Button type="submit" disabled={save.isPending}>
          Save the policy
        </Button>
        <Button type="button" variant="ghost" onClick={done}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
