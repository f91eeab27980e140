// Browser uploads. A Route Handler rather than tRPC: the body is large and binary, and it is read as a stream
// with a size cap before anything is buffered. The proxy does not run on /api, so nothing buffers it earlier.
import pLimit, { type LimitFunction } from "p-limit";
import { env } from "~/env";
import { isSameOriginRequest } from "~/server/auth/origin";
import { getSession } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { getStorage } from "~/server/storage";
import { handleUpload } from "~/server/services/upload";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

// Decoding and re-encoding images is CPU- and memory-heavy: two uploads at a time per server process,
// whatever the number of browsers sending.
const store = globalThis as unknown as { cxrUploadLimiter?: LimitFunction };
const limiter = (store.cxrUploadLimiter ??= pLimit(2));

export async function POST(request: Request): Promise<Response> {
  // a page on another site posting with the reader's cookie
  if (!isSameOriginRequest(request, env().NEXTAUTH_URL))
    return new Response("Uploads are accepted from this site's own pages only.", {
      status: 403,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  return handleUpload(request, {
    db: getDb(),
    storage: getStorage(),
    session: await getSession(),
    maxFileBytes: env().UPLOAD_MAX_BYTES,
    limiter,
  });
}
