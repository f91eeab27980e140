// Training from the browser: preview, start, cancel, list and follow runs of the inference service, as the
// signed-in user (the service checks again that they are an active ADMIN and records them on the run).
import { idSchema } from "@cxr/domain";
import {
  setPolicyInputSchema,
  startTrainingSchema,
  trainingPreviewInputSchema,
  type RunView,
} from "@cxr/inference-api";
import type { InferenceClient } from "@cxr/inference-api/client";
import { z } from "zod";
import { asDomainError, serviceCall } from "../models/client";

export type TrainingClient = Pick<InferenceClient, "training" | "policy" | "models">;

export const previewSchema = trainingPreviewInputSchema;

/** What the form sends: the service's start request without the person (the session names them). */
export const startSchema = startTrainingSchema.omit({ startedById: true, seed: true }).extend({
  /** off unless asked for: a person decides on the candidate */
  autoPromote: z.boolean().default(false),
});
export const cancelSchema = z.object({ id: idSchema, reason: z.string().trim().max(2000).optional() });
export const listSchema = z.object({ labelSet: z.string().min(1).optional() }).default({});
export const runIdSchema = z.object({ id: idSchema });
export const policySchema = setPolicyInputSchema.omit({ actorId: true });
export const labelSetSchema = z.object({ labelSet: z.string().min(1) });

export function previewRun(client: TrainingClient, input: z.infer<typeof previewSchema>) {
  return serviceCall(() => client.training.preview.query(input));
}

export function startRun(client: TrainingClient, startedById: string, input: z.infer<typeof startSchema>) {
  return serviceCall(() => client.training.start.mutate({ ...input, startedById }));
}

export function cancelRun(client: TrainingClient, actorId: string, input: z.infer<typeof cancelSchema>) {
  return serviceCall(() => client.training.cancel.mutate({ ...input, actorId }));
}

export function listRuns(client: TrainingClient, input: z.infer<typeof listSchema>) {
  return serviceCall(() => client.training.list.query({ ...input, take: 100 }));
}

export function getPolicy(client: TrainingClient, input: z.infer<typeof labelSetSchema>) {
  return serviceCall(() => client.policy.get.query(input));
}

export function setPolicy(client: TrainingClient, actorId: string, input: z.infer<typeof policySchema>) {
  return serviceCall(() => client.policy.set.mutate({ ...input, actorId }));
}

export function rescoreProgress(client: TrainingClient, input: z.infer<typeof labelSetSchema>) {
  return serviceCall(() => client.models.rescoreProgress.query(input));
}

/**
 * The service's `training.progress` stream as an async generator, for the web's own subscription: each value
 * as it arrives, ending when the service ends it, failing with the service's refusal, and unsubscribing when
 * the browser goes away (`signal`).
 */
export async function* followRun(
  client: TrainingClient,
  id: string,
  signal?: AbortSignal,
): AsyncGenerator<RunView, void, unknown> {
  const pending: RunView[] = [];
  let ended = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  const subscription = client.training.progress.subscribe(
    { id },
    {
      onData: (run) => {
        pending.push(run);
        notify();
      },
      onError: (error) => {
        failure = asDomainError(error);
        ended = true;
        notify();
      },
      onComplete: () => {
        ended = true;
        notify();
      },
    },
  );
  const stop = () => {
    ended = true;
    notify();
  };
  signal?.addEventListener("abort", stop, { once: true });
  try {
    for (;;) {
      const next = pending.shift();
      if (next) {
        yield next;
        continue;
      }
      if (failure) throw failure;
      if (ended || signal?.aborted) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    subscription.unsubscribe();
    signal?.removeEventListener("abort", stop);
  }
}
