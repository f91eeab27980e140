"use client";
// A campaign's page: its settings, progress per reader and per image, pause / resume / close, and readers or
// images added while it runs (balanced the same way as at creation).
import {
  Alert,
  Button,
  Card,
  DataTable,
  PageHeader,
  RoleBadge,
  StatCard,
  StatGrid,
  type Column,
} from "@cxr/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { taskLabels, weightsText, type SelectionInput } from "~/lib/campaigns";
import { formatDateTime } from "~/lib/format";
import { plain } from "~/components/Choice";
import { Loaded } from "~/components/Loaded";
import { useTRPC } from "~/trpc/react";
// type-only: the module is server code and must not reach the browser bundle
import type { CampaignDetail } from "~/server/services/campaigns/admin";
import { PeoplePicker } from "../PeoplePicker";
import { SelectionFields } from "../SelectionFields";
import { CampaignStatus, Done } from "../status";

type ReaderRow = CampaignDetail["readers"][number];
type ImageRow = CampaignDetail["imageProgress"][number];

const readerColumns: Column<ReaderRow>[] = [
  {
    key: "name",
    header: "Reader",
    cell: (r) => (
      <span className="admin-actions">
        {r.name} <RoleBadge role={r.role} />
      </span>
    ),
  },
  {
    key: "done",
    header: "Done",
    cell: (r) => <Done done={r.DONE} total={r.total} label={`Progress of ${r.name}`} />,
  },
  { key: "open", header: "In progress", cell: (r) => r.IN_PROGRESS },
  { key: "pending", header: "Not started", cell: (r) => r.PENDING },
  { key: "skipped", header: "Skipped", cell: (r) => r.SKIPPED },
];

const imageColumns: Column<ImageRow>[] = [
  { key: "name", header: "Image", cell: (i) => <code>{i.name}</code> },
  { key: "view", header: "View", cell: (i) => `${i.modality}${i.viewPosition ? ` ${i.viewPosition}` : ""}` },
  {
    key: "done",
    header: "Reads done",
    cell: (i) => <Done done={i.done} total={i.reads} label={`Reads of ${i.name}`} />,
  },
  {
    key: "readers",
    header: "Readers",
    cell: (i) => i.readers.map((r) => `${r.name} (${r.status.toLowerCase().replace("_", " ")})`).join(", "),
  },
];

export function CampaignView({ id }: { id: string }) {
  const trpc = useTRPC();
  const campaign = useQuery({ ...trpc.campaigns.get.queryOptions({ id }), staleTime: 0 });
  return (
    <Loaded query={campaign} what="campaign">
      {(c) => <CampaignBody c={c} />}
    </Loaded>
  );
}

function CampaignBody({ c }: { c: CampaignDetail }) {
  const id = c.id;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const onSettled = () => queryClient.invalidateQueries({ queryKey: trpc.campaigns.get.queryKey({ id }) });
  const setStatus = useMutation(trpc.campaigns.setStatus.mutationOptions({ onSettled }));
  const total = c.totals.PENDING + c.totals.IN_PROGRESS + c.totals.DONE + c.totals.SKIPPED;
  const act = (action: "pause" | "resume" | "close") => setStatus.mutate({ id, action });

  return (
    <div className="stack">
      <PageHeader
        title={c.name}
        description={c.description ?? undefined}
        actions={
          <span className="admin-actions">
            <CampaignStatus status={c.status} />
            {c.status === "ACTIVE" ? (
              <Button variant="secondary" loading={setStatus.isPending} onClick={() => act("pause")}>
                Pause
              </Button>
            ) : null}
            {c.status === "PAUSED" ? (
              <Button loading={setStatus.isPending} onClick={() => act("resume")}>
                Resume
              </Button>
            ) : null}
            {c.status === "ACTIVE" || c.status === "PAUSED" ? (
              <Button
                variant="danger"
                loading={setStatus.isPending}
                onClick={() => {
                  if (window.confirm(`Close ${c.name}? Its readers will no longer be offered its images.`))
                    act("close");
                }}
              >
                Close
              </Button>
            ) : null}
            <Link href="/campaigns">All campaigns</Link>
          </span>
        }
      />
      {setStatus.isError ? <Alert tone="error">{setStatus.error.message}</Alert> : null}
      <StatGrid label="Progress">
        <StatCard label="Images" value={c.images} hint={`${c.imagesComplete} with every read finished`} />
        <StatCard
          label="Reads done"
          value={`${c.totals.DONE} / ${total}`}
          hint={`${c.totals.IN_PROGRESS} in progress`}
        />
        <StatCard label="Reads per image" value={c.readsPerImage} hint={c.blinded ? "blinded" : "aided"} />
        <StatCard label="Due" value={c.dueAt ? formatDateTime(c.dueAt) : "—"} />
      </StatGrid>
      <Card title="Settings">
        <dl className="models-facts">
          <dt>Task</dt>
          <dd>{taskLabels[c.task]}</dd>
          <dt>Label set</dt>
          <dd>{c.labelSet.name}</dd>
          <dt>Queue order</dt>
          <dd>
            {plain(c.strategy)}
            {c.strategy === "WEIGHTED_MIX" && c.strategyWeights ? ` (${weightsText(c.strategyWeights)})` : ""}
            {c.unranked ? (
              <span style={{ color: "var(--cxr-muted)" }}>
                {" "}
                · {c.unranked} of {c.images} image{c.images === 1 ? "" : "s"} lacked{" "}
                {c.strategy === "DIVERSITY"
                  ? "a cached embedding"
                  : "a Grad-CAM map or regions to compare it with"}
                , queued after the ranked ones
              </span>
            ) : null}
          </dd>
          <dt>Consensus</dt>
          <dd>
            {c.consensusRule.toLowerCase()}, ROIs agree at IoU ≥ {c.iouThreshold}
          </dd>
          <dt>Adjudicators</dt>
          <dd>{c.adjudicators.map((a) => a.name).join(", ") || "none"}</dd>
          <dt>Created</dt>
          <dd>
            {formatDateTime(c.createdAt)} by {c.createdBy.name}
          </dd>
        </dl>
      </Card>
      <Card title="Progress per reader">
        <DataTable
          caption="Progress per reader"
          columns={readerColumns}
          rows={c.readers}
          rowKey={(r) => r.userId}
        />
      </Card>
      {/* a reader study's readers and cases are fixed once it starts (the server refuses additions) */}
      {c.status !== "CLOSED" && c.mode !== "READER_STUDY" ? (
        <AddToCampaign campaign={c} onDone={onSettled} />
      ) : null}
      <Card
        title="Progress per image"
        actions={
          c.imagesShown < c.images ? (
            <span className="admin-muted">
              first {c.imagesShown} of {c.images} in queue order
            </span>
          ) : null
        }
      >
        <DataTable
          caption="Progress per image"
          columns={imageColumns}
          rows={c.imageProgress}
          rowKey={(i) => i.imageId}
        />
      </Card>
    </div>
  );
}

function AddToCampaign({ campaign: c, onDone }: { campaign: CampaignDetail; onDone: () => void }) {
  const trpc = useTRPC();
  const options = useQuery(trpc.campaigns.options.queryOptions());
  const addReaders = useMutation(trpc.campaigns.addReaders.mutationOptions({ onSettled: onDone }));
  const addImages = useMutation(trpc.campaigns.addImages.mutationOptions({ onSettled: onDone }));
  const addAdjudicators = useMutation(trpc.campaigns.addAdjudicators.mutationOptions({ onSettled: onDone }));
  const [selection, setSelection] = useState<SelectionInput>({ reviewed: "any", limit: 50 });
  if (!options.data) return null;
  const current = new Set(c.readers.map((r) => r.userId));
  const judging = new Set(c.adjudicators.map((a) => a.id));
  const labelSet = options.data.labelSets.find((s) => s.id === c.labelSet.id);
  return (
    <Card title="Add to the running campaign">
      <div className="admin-pickers">
        <AddPeople
          legend="More readers"
          label="Add readers"
          people={options.data.readers.filter((p) => !current.has(p.id))}
          mutation={addReaders}
          submit={(userIds, then) => addReaders.mutate({ id: c.id, userIds }, { onSuccess: then })}
          done={(r) => `${r.added} reader(s) added; ${r.moved} open read(s) moved to them.`}
        />
        <AddPeople
          legend="More adjudicators"
          label="Add adjudicators"
          people={options.data.adjudicators.filter((p) => !judging.has(p.id))}
          mutation={addAdjudicators}
          submit={(userIds, then) => addAdjudicators.mutate({ id: c.id, userIds }, { onSuccess: then })}
          done={(r) =>
            `${r.added} adjudicator(s) added; ${r.pending} disagreement(s) waiting for a decision.`
          }
        />
      </div>
      <h3>More images</h3>
      <SelectionFields
        labelSetId={c.labelSet.id}
        campaignId={c.id}
        options={{ classes: labelSet?.classes ?? [], importJobs: options.data.importJobs }}
        value={selection}
        onChange={setSelection}
      />
      <Act
        label="Add images"
        mutation={addImages}
        run={() => addImages.mutate({ id: c.id, selection })}
        done={(r) => `${r.images} image(s) added, ${r.created} read(s) assigned.`}
      />
    </Card>
  );
}

/** People to add to the campaign in one role: a picker and the button that adds the chosen ones. */
function AddPeople<T>(props: {
  legend: string;
  label: string;
  people: Parameters<typeof PeoplePicker>[0]["people"];
  mutation: { isPending: boolean; data?: T; error: { message: string } | null };
  submit: (userIds: string[], then: () => void) => void;
  done: (result: T) => string;
}) {
  const [chosen, setChosen] = useState<string[]>([]);
  return (
    <div>
      <PeoplePicker legend={props.legend} people={props.people} chosen={chosen} onChange={setChosen} />
      <Act
        label={props.label}
        disabled={chosen.length === 0}
        mutation={props.mutation}
        run={() => props.submit(chosen, () => setChosen([]))}
        done={props.done}
      />
    </div>
  );
}

/** A button that runs a change, then says what it did (or why it failed). */
function Act<T>(props: {
  label: string;
  disabled?: boolean;
  mutation: { isPending: boolean; data?: T; error: { message: string } | null };
  run: () => void;
  done: (result: T) => string;
}) {
  const { mutation: m } = props;
  return (
    <>
      <div className="admin-actions" style={{ marginTop: "0.5rem" }}>
        <Button variant="secondary" disabled={props.disabled} loading={m.isPending} onClick={props.run}>
          {props.label}
        </Button>
        {m.data ? <span role="status">{props.done(m.data)}</span> : null}
      </div>
      {m.error ? <Alert tone="error">{m.error.message}</Alert> : null}
    </>
  );
}
