import { Card, DataTable, EmptyState, PageHeader, type Column } from "@cxr/ui";
import { type Metadata } from "next";
import Link from "next/link";
import { formatDateTime } from "~/lib/format";
import { requireRole } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { taskCampaigns, type TaskCampaign } from "~/server/services/review/tasks";

export const metadata: Metadata = { title: "Annotation tasks" };

const taskText: Record<TaskCampaign["task"], string> = {
  CLASSIFY: "label each image",
  CLASSIFY_ROI: "label and draw regions",
  ROI_ONLY: "draw regions, each with a label",
};

const columns: Column<TaskCampaign>[] = [
  { key: "name", header: "Campaign", cell: (c) => c.name },
  { key: "task", header: "Task", cell: (c) => `${taskText[c.task]}${c.blinded ? " (blinded)" : ""}` },
  {
    key: "open",
    header: "Open",
    cell: (c) => (c.waiting ? `${c.open} (${c.waiting} after washout)` : c.open),
  },
  { key: "done", header: "Done", cell: (c) => c.done },
  { key: "due", header: "Due", cell: (c) => (c.dueAt ? formatDateTime(c.dueAt) : "—") },
];

/** The annotator's campaigns; their images open in the review workspace's tasks mode (/tasks/read). */
export default async function TasksPage() {
  const session = await requireRole("ANNOTATOR");
  const campaigns = await taskCampaigns(getDb(), session.user.id);
  const open = campaigns.reduce((n, c) => n + c.open, 0);
  const start =
    open > 0 ? (
      <Link href="/tasks/read" className="cxr-button cxr-button--primary cxr-button--md">
        Start annotating
      </Link>
    ) : null;
  return (
    <>
      <PageHeader
        title="Annotation tasks"
        description="Images assigned to you for regions of interest and labels, campaign by campaign."
        actions={start}
      />
      <Card title={`Your campaigns (${open} open ${open === 1 ? "task" : "tasks"})`}>
        <DataTable
          caption="Your campaigns"
          columns={columns}
          rows={campaigns}
          rowKey={(c) => c.id}
          empty={
            <EmptyState
              title="No annotation tasks"
              description="Tasks appear here when an administrator assigns images to you."
            />
          }
        />
      </Card>
    </>
  );
}
