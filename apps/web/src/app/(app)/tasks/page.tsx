import { Card, EmptyState, PageHeader, StatCard, StatGrid } from "@cxr/ui";
import { type Metadata } from "next";
import { requireRole } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { taskSummary } from "~/server/services/summary";

export const metadata: Metadata = { title: "Annotation tasks" };

export default async function TasksPage() {
  const session = await requireRole("ANNOTATOR");
  const counts = await taskSummary(getDb(), session.user.id);
  const open = counts.pending + counts.inProgress;
  return (
    <>
      <PageHeader
        title="Annotation tasks"
        description="Images waiting for your regions of interest and labels."
      />
      <StatGrid label="Task counts">
        <StatCard label="Open tasks" value={counts.pending} />
        <StatCard label="In progress" value={counts.inProgress} />
        <StatCard label="Regions drawn" value={counts.annotations} />
      </StatGrid>
      <Card title="Tasks">
        {open === 0 ? (
          <EmptyState
            title="No annotation tasks"
            description="Tasks appear here when an administrator assigns images to you."
          />
        ) : (
          <p>
            {open} {open === 1 ? "task is" : "tasks are"} open.
          </p>
        )}
      </Card>
    </>
  );
}
