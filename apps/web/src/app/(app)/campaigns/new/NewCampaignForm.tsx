"use client";
// The campaign form: selection (with its live count), label set, task, readers and adjudicators, reads per
// image, blinded or aided, queue strategy, due date, consensus rule and IoU threshold. Checked here with the
// server's own schema first, so a mistake is named before anything is sent.
import { queueStrategies } from "@cxr/domain";
import { Alert, Button, Card, FormField } from "@cxr/ui";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import {
  campaignTasks,
  consensusRules,
  newCampaignSchema,
  taskLabels,
  type NewCampaignInput,
  type SelectionInput,
} from "~/lib/campaigns";
import { useTRPC } from "~/trpc/react";
import { PeoplePicker } from "../PeoplePicker";
import { SelectionFields } from "../SelectionFields";

type Form = Omit<NewCampaignInput, "selection" | "dueAt"> & { dueAt: string };

export function NewCampaignForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const options = useQuery(trpc.campaigns.options.queryOptions());
  const create = useMutation(trpc.campaigns.create.mutationOptions());
  const [form, setForm] = useState<Form>({
    name: "",
    description: null,
    labelSetId: "",
    task: "CLASSIFY_ROI",
    readerIds: [],
    adjudicatorIds: [],
    readsPerImage: 2,
    blinded: true,
    strategy: "FIFO",
    dueAt: "",
    consensusRule: "MAJORITY",
    iouThreshold: 0.5,
  });
  const [selection, setSelection] = useState<SelectionInput>({ reviewed: "any", limit: 200 });
  const [problem, setProblem] = useState<string | null>(null);
  const set = (patch: Partial<Form>) => setForm({ ...form, ...patch });

  if (options.isError)
    return <Alert tone="error">The form could not be loaded: {options.error.message}</Alert>;
  if (options.isPending) return <p role="status">Loading…</p>;
  const labelSetId = form.labelSetId || options.data.labelSets[0]?.id;
  const labelSet = options.data.labelSets.find((s) => s.id === labelSetId);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = newCampaignSchema.safeParse({
      ...form,
      labelSetId,
      dueAt: form.dueAt ? new Date(`${form.dueAt}T23:59:59Z`) : null,
      selection,
    });
    if (!parsed.success) {
      setProblem(parsed.error.issues[0]?.message ?? "The form is not complete.");
      return;
    }
    setProblem(null);
    create.mutate(parsed.data, { onSuccess: (r) => router.push(`/campaigns/${r.id}`) });
  };

  return (
    <form onSubmit={submit} aria-label="New campaign" className="stack">
      <Card title="Campaign">
        <div className="admin-form admin-form--wide">
          <FormField
            label="Name"
            required
            maxLength={120}
            value={form.name}
            onChange={(e) => set({ name: e.target.value })}
          />
          <FormField
            label="Description"
            maxLength={1000}
            value={form.description ?? ""}
            onChange={(e) => set({ description: e.target.value || null })}
          />
          <label className="admin-select">
            Label set
            <select value={labelSetId ?? ""} onChange={(e) => set({ labelSetId: e.target.value })}>
              {options.data.labelSets.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} ({s.classes.map((c) => c.name).join(", ")})
                </option>
              ))}
            </select>
          </label>
          <label className="admin-select">
            Task
            <select value={form.task} onChange={(e) => set({ task: e.target.value as Form["task"] })}>
              {campaignTasks.map((t) => (
                <option key={t} value={t}>
                  {taskLabels[t]}
                </option>
              ))}
            </select>
          </label>
          <FormField
            label="Due date"
            type="date"
            value={form.dueAt}
            onChange={(e) => set({ dueAt: e.target.value })}
          />
        </div>
      </Card>
      <Card title="Images">
        <SelectionFields
          labelSetId={labelSetId}
          options={{ classes: labelSet?.classes ?? [], importJobs: options.data.importJobs }}
          value={selection}
          onChange={setSelection}
        />
      </Card>
      <Card title="Readers and reading">
        <div className="admin-pickers">
          <PeoplePicker
            legend="Readers"
            people={options.data.readers}
            chosen={form.readerIds}
            onChange={(readerIds) => set({ readerIds })}
          />
          <PeoplePicker
            legend="Adjudicators"
            people={options.data.adjudicators}
            chosen={form.adjudicatorIds ?? []}
            onChange={(adjudicatorIds) => set({ adjudicatorIds })}
          />
        </div>
        <div className="admin-form" style={{ marginTop: "1rem" }}>
          <FormField
            label="Reads per image"
            type="number"
            min={1}
            max={20}
            value={form.readsPerImage}
            onChange={(e) => set({ readsPerImage: Number(e.target.value) })}
          />
          <label className="admin-select">
            Model output
            <select
              value={form.blinded ? "blinded" : "aided"}
              onChange={(e) => set({ blinded: e.target.value === "blinded" })}
            >
              <option value="blinded">Blinded: readers do not see the model</option>
              <option value="aided">Aided: readers see the prediction and heat maps</option>
            </select>
          </label>
          <label className="admin-select">
            Queue order
            <select
              value={form.strategy}
              onChange={(e) => set({ strategy: e.target.value as Form["strategy"] })}
            >
              {queueStrategies.map((s) => (
                <option key={s} value={s}>
                  {s.toLowerCase().replaceAll("_", " ")}
                </option>
              ))}
            </select>
          </label>
          <label className="admin-select">
            Consensus rule
            <select
              value={form.consensusRule}
              onChange={(e) => set({ consensusRule: e.target.value as Form["consensusRule"] })}
            >
              {consensusRules.map((r) => (
                <option key={r} value={r}>
                  {r.toLowerCase()}
                </option>
              ))}
            </select>
          </label>
          <FormField
            label="ROI agreement (IoU threshold)"
            type="number"
            min={0.05}
            max={0.95}
            step={0.05}
            value={form.iouThreshold}
            onChange={(e) => set({ iouThreshold: Number(e.target.value) })}
          />
        </div>
      </Card>
      {problem ? <Alert tone="error">{problem}</Alert> : null}
      {create.isError ? (
        <Alert tone="error">The campaign was not created: {create.error.message}</Alert>
      ) : null}
      <div className="admin-actions">
        <Button type="submit" loading={create.isPending || create.isSuccess}>
          Create campaign
        </Button>
      </div>
    </form>
  );
}
