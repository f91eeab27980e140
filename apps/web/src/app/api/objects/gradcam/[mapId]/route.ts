// A Grad-CAM map (16-bit grey PNG) for the viewer's overlay (checked in objectResponse).
import { getSession } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { objectResponse } from "~/server/services/review/object-response";
import { getStorage } from "~/server/storage";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(_request: Request, ctx: { params: Promise<{ mapId: string }> }) {
  const { mapId } = await ctx.params;
  return objectResponse(
    { type: "gradcam", mapId },
    { db: getDb(), storage: getStorage(), session: await getSession() },
  );
}
