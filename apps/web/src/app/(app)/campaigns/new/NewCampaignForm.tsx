"use client";
// The campaign form: selection (with its live count), label set, task, readers and adjudicators, reads per
// image, blinded or aided, queue strategy, due date, consensus rule and IoU threshold. Checked here with the
// server's own schema first, so a mistake is named before anything is sent.
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
import { Loaded } from "~/components/Loaded";
import { useTRPC } from "~/trpc/react";
// type-only: the module is server code and must not reach the browser bundle
import type { CampaignFormOptions } from "~/server/services/campaigns/admin";
import { Choice, plain } from "~/components/Choice";
import { PeoplePicker } from "../PeoplePicker";
import { ReaderStudyFields } from "./ReaderStudyFields";
import { SelectionFields } from "../SelectionFields";
import { StrategyFields } from "./StrategyFields";

type Form = Omit<NewCampaignInput, "selection" | "dueAt"> & { dueAt: string };

type Options = CampaignFormOptions;

const modelOutput = {
  blinded: "Blinded: readers do not see the model",
  aided: "Aided: readers see the prediction and heat maps",
};

export function NewCampaignForm() {
  const trpc = useTRPC();
  const options = useQuery(trpc.campaigns.options.queryOptions());
  return (
    <Loaded query={options} what="form">
      {(o) => <CampaignForm options={o} />}
    </Loaded>
  );
}

function CampaignForm({ options }: { options: Options }) {
  const trpc = useTRPC();
  const router = useRouter();
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
    strategyWeights: null,
    dueAt: "",
    consensusRule: "MAJORITY",
    iouThreshold: 0.5,
  });
  const [selection, setSelection] = useState<SelectionInput>({ reviewed: "any", limit: 200 });
  const [problem, setProblem] = useState<string | null>(null);
  const set = (patch: Partial<Form>) => setForm({ ...form, ...patch });

  const labelSetId = form.labelSetId || options.labelSets[0]?.id;
  const labelSet = options.labelSets.find((s) => s.id === labelSetId);

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
            <select
              className="cxr-field__input"
              value={labelSetId ?? ""}
              onChange={(e) => set({ labelSetId: e.target.value })}
            >
              {options.labelSets.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} ({s.classes.map((c) => c.name).join(", ")})
                </option>
              ))}
            </select>
          </label>
          <Choice
            label="Task"
            value={form.task}
            options={campaignTasks}
            text={(t) => taskLabels[t]}
            onChange={(task) => task && set({ task })}
          />
          <FormField
            label="Due date"
            type="date"
            value={form.dueAt}
            onChange={(e) => set({ dueAt: e.target.value })}
          />
        </div>
      </Card>
      <ReaderStudyFields form={form} classes={labelSet?.classes ?? []} set={set} />
      <Card title="Images">
        <SelectionFields
          labelSetId={labelSetId}
          options={{ classes: labelSet?.classes ?? [], importJobs: options.importJobs }}
          value={selection}
          onChange={setSelection}
        />
      </Card>
      <Card title="Readers and reading">
        <div className="admin-pickers">
          <PeoplePicker
            legend="Readers"
            people={options.readers}
            chosen={form.readerIds}
            onChange={(readerIds) => set({ readerIds })}
          />
          <PeoplePicker
            legend="Adjudicators"
            people={options.adjudicators}
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
          <Choice
            label="Model output"
            value={form.blinded ? "blinded" : "aided"}
            options={["blinded", "aided"] as const}
            text={(v) => modelOutput[v]}
            onChange={(v) => set({ blinded: v === "blinded" })}
          />
          <StrategyFields
            strategy={form.strategy}
            weights={form.strategyWeights ?? null}
            onChange={(strategy, strategyWeights) => set({ strategy, strategyWeights })}
          />
          <Choice
            label="Consensus rule"
            value={form.consensusRule}
            options={consensusRules}
            text={plain}
            onChange={(consensusRule) => consensusRule && set({ consensusRule })}
          />
          <FormField
            label="ROI IoU threshold"
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
