import { type Metadata } from "next";
import { ReviewWorkspace } from "~/app/(app)/review/ReviewWorkspace";
import { idOrNull } from "~/lib/review/address";
import { requireRole } from "~/server/auth/session";

export const metadata: Metadata = { title: "Annotate" };

/** The annotator's reading: the review workspace on their campaign assignments only. */
export default async function TaskReadingPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const session = await requireRole("ANNOTATOR");
  const params = await searchParams;
  return (
    <ReviewWorkspace
      userId={session.user.id}
      initialCaseId={idOrNull(params.case)}
      initialModelId={null}
      tasks
    />
  );
}
