"use client";
import { Card, type Column } from "@cxr/ui";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { taskLabels } from "~/lib/campaigns";
import { formatDateTime } from "~/lib/format";
import { LoadedTable } from "~/components/Loaded";
import { useTRPC } from "~/trpc/react";
// type-only: the module is server code and must not reach the browser bundle
import type { CampaignListItem } from "~/server/services/campaigns/admin";
import { CampaignStatus, Done } from "./status";

const columns: Column<CampaignListItem>[] = [
  { key: "name", header: "Campaign", cell: (c) => <Link href={`/campaigns/${c.id}`}>{c.name}</Link> },
  { key: "status", header: "Status", cell: (c) => <CampaignStatus status={c.status} /> },
  { key: "task", header: "Task", cell: (c) => taskLabels[c.task] },
  { key: "labelSet", header: "Label set", cell: (c) => c.labelSet },
  {
    key: "reading",
    header: "Reading",
    cell: (c) => `${c.images} images × ${c.readsPerImage} · ${c.blinded ? "blinded" : "aided"}`,
  },
  {
    key: "progress",
    header: "Reads done",
    cell: (c) => {
      const a = c.assignments;
      return (
        <Done
          done={a.DONE}
          total={a.PENDING + a.IN_PROGRESS + a.DONE + a.SKIPPED}
          label={`Progress of ${c.name}`}
        />
      );
    },
  },
  { key: "due", header: "Due", cell: (c) => (c.dueAt ? formatDateTime(c.dueAt) : "—") },
];

export function CampaignList() {
  const trpc = useTRPC();
  const campaigns = useQuery({ ...trpc.campaigns.list.queryOptions(), staleTime: 0 });
  return (
    <Card>
      <LoadedTable
        query={campaigns}
        what="campaigns"
        caption="Campaigns"
        columns={columns}
        rowKey={(c) => c.id}
        empty={{ title: "No campaigns yet", description: "Create one from a selection of images." }}
      />
    </Card>
  );
}
