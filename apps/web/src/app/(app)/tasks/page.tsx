import { type Metadata } from "next";
import Link from "next/link";
import { QueueSummary } from "~/components/QueueSummary";
import { requireRole } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { taskSummary } from "~/server/services/summary";

export const metadata: Metadata = { title: "Annotation tasks" };

export default async function TasksPage() {
  const session = await requireRole("ANNOTATOR");
  const counts = await taskSummary(getDb(), session.user.id);
  const open = counts.pending + counts.inProgress;
  return (
    <QueueSummary
      title="Annotation tasks"
      description="Images waiting for your regions of interest and labels."
      countsLabel="Task counts"
      counts={[
        { label: "Open tasks", value: counts.pending },
        { label: "In progress", value: counts.inProgress },
        { label: "Regions drawn", value: counts.annotations },
      ]}
      cardTitle="Tasks"
      open={
        open === 0 ? null : (
          <>
            {open} {open === 1 ? "task is" : "tasks are"} open.{" "}
            <Link href="/tasks/read" className="cxr-button cxr-button--primary cxr-button--md">
              Start annotating
            </Link>
          </>
        )
      }
      empty={{
        title: "No annotation tasks",
        description: "Tasks appear here when an administrator assigns images to you.",
      }}
    />
  );
}
