import { requireRole } from "~/server/auth/session";
import { AuditLogView } from "./AuditLogView";

export const metadata = { title: "Audit log" };

/** Administrators only: the log names every actor and what they changed. */
export default async function AuditLogPage() {
  await requireRole("ADMIN");
  return <AuditLogView />;
}
