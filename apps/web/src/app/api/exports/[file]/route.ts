// The downloads (labels CSV/JSON, COCO ROIs, PNG masks, DICOM SR/SEG, the audit log CSV, the model card), streamed; each file's roles are in downloads.ts.
import { getSession } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { exportDownload } from "~/server/services/exports/downloads";
import { getStorage } from "~/server/storage";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(request: Request, ctx: { params: Promise<{ file: string }> }) {
  const { file } = await ctx.params;
  return exportDownload(file, request, { db: getDb(), session: await getSession(), storage: getStorage() });
}
