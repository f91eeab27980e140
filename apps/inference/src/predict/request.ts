// predict and explain as callers see them: what is stored comes back at once; the rest becomes queued jobs that
// this call waits for (up to a limit), so concurrent work is bounded by the workers, not by open requests.
import type PgBoss from "pg-boss";
import { DomainError } from "@cxr/domain";
import type { GradcamMethod, GradcamRequest, PredictItem, PredictResult } from "@cxr/inference-api";
import type { Deps } from "../deps";
import { resolveModelVersion } from "../models/registry";
import { queueNames } from "../queue/boss";
import { priorities } from "./enqueue";
import { storedPredictions } from "./results";
import { explainJobKey, predictJobKey, type PredictJob } from "./schemas";

export interface RequestOptions {
  imageIds: readonly string[];
  modelVersionId?: string;
  labelSet?: string;
  gradcam: GradcamRequest;
  targetLayer?: string;
  method?: GradcamMethod;
  wait: boolean;
  queue: typeof queueNames.predict | typeof queueNames.explain;
}

export async function requestPredictions(deps: Deps, options: RequestOptions): Promise<PredictResult> {
  const version = await resolveModelVersion(deps.db, options);
  const imageIds = [...new Set(options.imageIds)];
  const found = await deps.db.image.findMany({ where: { id: { in: imageIds } }, select: { id: true } });
  const missing = imageIds.filter((id) => !found.some((f) => f.id === id));
  if (missing.length)
    throw new DomainError(
      "NOT_FOUND",
      `unknown image${missing.length > 1 ? "s" : ""}: ${missing.slice(0, 5).join(", ")}`,
    );

  const jobFor = (imageId: string): PredictJob => ({
    imageId,
    modelVersionId: version.id,
    gradcam: options.gradcam,
    ...(options.targetLayer ? { targetLayer: options.targetLayer } : {}),
    ...(options.method && options.method !== "GRADCAM" ? { method: options.method } : {}),
  });
  const keyOf = options.queue === queueNames.explain ? explainJobKey : predictJobKey;
  const send = (imageId: string) => {
    const job = jobFor(imageId);
    return deps.queue.send(options.queue, job, {
      singletonKey: keyOf(job),
      priority: priorities.interactive,
      expireInSeconds: deps.config.jobTimeoutSeconds,
    });
  };

  const results = new Map<string, PredictItem>();
  const jobIds = new Map<string, string | null>();
  const check = async () => {
    const open = imageIds.filter(
      (id) => results.get(id)?.status !== "done" && results.get(id)?.status !== "failed",
    );
    const stored = await storedPredictions(
      deps.db,
      version.id,
      open,
      options.gradcam,
      options.targetLayer,
      options.method,
    );
    const failed = await deps.db.image.findMany({
      where: { id: { in: open }, status: "FAILED" },
      select: { id: true, error: true },
    });
    for (const id of open) {
      const hit = stored.get(id);
      const fail = failed.find((f) => f.id === id);
      if (hit?.complete) results.set(id, { imageId: id, status: "done", prediction: hit.view });
      else if (fail)
        results.set(id, {
          imageId: id,
          status: "failed",
          error: fail.error ?? "the image could not be read",
        });
    }
    return imageIds.filter((id) => !results.has(id) || results.get(id)?.status === "queued");
  };

  let open = await check();
  for (const id of open) {
    jobIds.set(id, await send(id));
    results.set(id, { imageId: id, status: "queued", jobId: jobIds.get(id) ?? null });
  }
  if (open.length) deps.wake?.(options.queue);
  if (open.length && options.wait) {
    const deadline = Date.now() + deps.config.waitTimeoutMs;
    let lastJobCheck = Date.now();
    while (open.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      open = await check();
      // every second: a job that ended without the result (or was never sent, as an equal one was waiting)
      // is sent again, and a job that failed for good is reported
      if (open.length && Date.now() - lastJobCheck > 1000) {
        lastJobCheck = Date.now();
        for (const id of open) {
          const jobId = jobIds.get(id);
          const job: PgBoss.JobWithMetadata | null = jobId
            ? await deps.queue.getJobById(options.queue, jobId, { includeArchive: true })
            : null;
          if (job?.state === "failed") {
            results.set(id, { imageId: id, status: "failed", error: failureMessage(job.output) });
          } else if (!job || job.state === "completed" || job.state === "cancelled") {
            const again = await send(id);
            if (again) jobIds.set(id, again);
          }
        }
        open = open.filter((id) => results.get(id)?.status === "queued");
      }
    }
  }
  for (const [id, item] of results)
    if (item.status === "queued") results.set(id, { ...item, jobId: jobIds.get(id) ?? null });
  return { modelVersionId: version.id, items: imageIds.map((id) => results.get(id)!) };
}

function failureMessage(output: unknown): string {
  const message = (output as { message?: unknown } | null)?.message;
  return `prediction failed after retries${typeof message === "string" ? `: ${message}` : ""}`;
}
