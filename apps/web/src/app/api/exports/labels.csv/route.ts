// Labels of the audit page's selection as CSV, streamed (readers: RADIOLOGIST, and ADMIN).
import { getSession } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { download } from "~/server/services/exports/download";
import { checkExportFilter, exportFilterSchema, labelsCsv } from "~/server/services/exports/labels";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(request: Request) {
  const db = getDb();
  return download(
    request,
    { db, session: await getSession() },
    {
      roles: ["ADMIN", "RADIOLOGIST"],
      schema: exportFilterSchema,
      check: (filter) => checkExportFilter(db, filter),
      filename: "labels.csv",
      contentType: "text/csv; charset=utf-8",
      produce: (filter, viewerId) => labelsCsv(db, filter, viewerId),
    },
  );
}
