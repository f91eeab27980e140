// ROIs of the audit page's selection as COCO JSON, streamed (readers: RADIOLOGIST, and ADMIN).
import { getSession } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { cocoJson } from "~/server/services/exports/coco";
import { download } from "~/server/services/exports/download";
import { checkExportFilter, exportFilterSchema } from "~/server/services/exports/labels";

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
      filename: "rois.coco.json",
      contentType: "application/json",
      produce: (filter, viewerId) => cocoJson(db, filter, viewerId),
    },
  );
}
