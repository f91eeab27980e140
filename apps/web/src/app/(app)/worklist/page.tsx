import { type Metadata } from "next";
import Link from "next/link";
import { QueueSummary } from "~/components/QueueSummary";
import { requireRole } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { worklistSummary } from "~/server/services/summary";

export const metadata: Metadata = { title: "Worklist" };

export default async function WorklistPage() {
  const session = await requireRole("RADIOLOGIST");
  const counts = await worklistSummary(getDb(), session.user.id);
  const waiting = counts.pending + counts.inProgress;
  return (
    <QueueSummary
      title="Worklist"
      description="Studies assigned to you for reading, in queue order."
      countsLabel="Worklist counts"
      counts={[
        { label: "Waiting for you", value: counts.pending },
        { label: "In progress", value: counts.inProgress },
        { label: "Reads completed", value: counts.readsDone },
        { label: "Images ready in the archive", value: counts.imagesReady },
      ]}
      cardTitle="Queue"
      open={
        waiting === 0 ? null : (
          <>
            {waiting} {waiting === 1 ? "study is" : "studies are"} waiting. The reading workspace opens them
            one by one.
          </>
        )
      }
      empty={{
        title: "Nothing to read",
        description: "No studies are assigned to you. New assignments appear here when a campaign starts.",
      }}
    >
      <p>
        <Link href="/review" className="cxr-button cxr-button--primary cxr-button--md">
          Open the reading workspace
        </Link>{" "}
        Unreviewed images with a prediction, the most uncertain first. Press <kbd>?</kbd> there for the keys.
      </p>
    </QueueSummary>
  );
}
