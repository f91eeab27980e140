import { type Metadata } from "next";
import { auditSelectionFromParams } from "~/lib/audit/selection";
import { requireRole } from "~/server/auth/session";
import { ReviewWorkspace } from "./ReviewWorkspace";

export const metadata: Metadata = { title: "Review" };

// ids are cuids; anything else in the address is ignored rather than sent to the API
const idOrNull = (value: string | string[] | undefined) =>
  typeof value === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(value) ? value : null;

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
      initialAudit={auditSelectionFromParams(params)}
    />
  );
}
