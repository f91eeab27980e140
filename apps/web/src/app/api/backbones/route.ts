// An administrator's Keras weight file for a pretrained backbone: a Route Handler rather than tRPC because the
// body is large and binary; it is streamed to disk under the upload cap (see services/backbones.ts).
import { env } from "~/env";
import { isSameOriginRequest } from "~/server/auth/origin";
import { getSession } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { getInferenceClient } from "~/server/inference";
import { getStorage, uploadTmpDir } from "~/server/storage";
import { handleBackboneUpload } from "~/server/services/backbones";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(request: Request): Promise<Response> {
  if (!isSameOriginRequest(request, env().NEXTAUTH_URL))
    return Response.json({ error: "Uploads are accepted from this site's own pages only." }, { status: 403 });
  return handleBackboneUpload(request, {
    db: getDb(),
    storage: getStorage(),
    session: await getSession(),
    client: getInferenceClient(),
    maxFileBytes: env().UPLOAD_MAX_BYTES,
    tmpDir: uploadTmpDir(env().STORAGE_URL),
  });
}
