import { type Metadata } from "next";
import { idOrNull } from "~/lib/review/address";
import { requireRole } from "~/server/auth/session";
import { ReviewWorkspace } from "./ReviewWorkspace";

export const metadata: Metadata = { title: "Review" };

export default async function ReviewPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const session = await requireRole("RADIOLOGIST");
  const params = await searchParams;
  return (
    <ReviewWorkspace
      userId={session.user.id}
      initialCaseId={idOrNull(params.case)}
      initialModelId={idOrNull(params.model)}
    />
  );
}
