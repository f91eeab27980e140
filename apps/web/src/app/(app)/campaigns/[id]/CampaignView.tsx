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
import { taskLabels, weightsText } from "~/lib/campaigns";
import { formatDateTime } from "~/lib/format";
import { plain } from "~/components/Choice";
import { Loaded } from "~/components/Loaded";
import { useTRPC } from "~/trpc/react";
// type-only: the module is server code and must not reach the browser bundle
import type { CampaignDetail } from "~/server/services/campaigns/admin";
import { CampaignStatus, Done } from "../status";
import { AddToCampaign } from "./AddToCampaign";

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
