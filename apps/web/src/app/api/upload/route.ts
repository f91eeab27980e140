// Browser uploads. A Route Handler rather than tRPC: the body is large and binary, and it is streamed to disk
// with a size cap, never buffered. The proxy does not run on /api, so nothing buffers it earlier.
import { env } from "~/env";
import { isSameOriginRequest } from "~/server/auth/origin";
import { getSession } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { getStorage, uploadTmpDir } from "~/server/storage";
import { handleUpload, UploadSlots } from "~/server/services/upload";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

// Decoding and re-encoding images is CPU- and memory-heavy: two uploads at a time per server process,
// whatever the number of browsers sending; a third is told to come back (429, Retry-After).
const store = globalThis as unknown as { cxrUploadSlots?: UploadSlots };
const slots = (store.cxrUploadSlots ??= new UploadSlots(2));

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
    slots,
    tmpDir: uploadTmpDir(env().STORAGE_URL),
  });
}
