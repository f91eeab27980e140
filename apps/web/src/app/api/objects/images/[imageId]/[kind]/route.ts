// An image's master or preview PNG for the viewer (checked in objectResponse).
import { getSession } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { objectResponse } from "~/server/services/review/object-response";
import { getStorage } from "~/server/storage";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(_request: Request, ctx: { params: Promise<{ imageId: string; kind: string }> }) {
  const { imageId, kind } = await ctx.params;
  return objectResponse(
    { type: "image", imageId, kind },
    { db: getDb(), storage: getStorage(), session: await getSession() },
  );
}
