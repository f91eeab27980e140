// The audit log (filtered) as CSV, streamed from the append-only table (ADMIN only).
import { getSession } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { download } from "~/server/services/exports/download";
import { auditLogCsv, auditLogFilterSchema } from "~/server/services/history/audit-log";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(request: Request) {
  const db = getDb();
  return download(
    request,
    { db, session: await getSession() },
    {
      roles: ["ADMIN"],
      schema: auditLogFilterSchema,
      filename: "audit-log.csv",
      contentType: "text/csv; charset=utf-8",
      produce: (filter) => auditLogCsv(db, filter),
    },
  );
}
