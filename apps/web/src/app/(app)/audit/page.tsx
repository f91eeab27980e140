import { requireRole } from "~/server/auth/session";
import { AuditView } from "./AuditView";

export const metadata = { title: "Audit" };

const idOrNull = (value: string | string[] | undefined) =>
  typeof value === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(value) ? value : null;

/** Radiologist leads and administrators (requireRole lets ADMIN through). */
export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireRole("RADIOLOGIST");
  const params = await searchParams;
  return <AuditView initialModelId={idOrNull(params.model)} />;
}
