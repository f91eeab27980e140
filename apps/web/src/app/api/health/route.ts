import { env } from "~/env";
import { getDb } from "~/server/db";
import { checkHealth, pingInference } from "~/server/services/health";

export const dynamic = "force-dynamic";

/** Liveness of the web app's dependencies, for the stack script, load balancers and monitoring. No auth. */
export async function GET(): Promise<Response> {
  const health = await checkHealth({
    db: () => getDb().$queryRaw`SELECT 1`,
    inference: () => pingInference(env().INFERENCE_URL),
  });
  return Response.json(health, { status: health.ok ? 200 : 503, headers: { "cache-control": "no-store" } });
}
