import "server-only";
import { createInferenceClient, type InferenceClient } from "@cxr/inference-api/client";
import { env } from "~/env";

const store = globalThis as unknown as { cxrInference?: InferenceClient };

/** One client per server process, authenticated with the service's bearer token. */
export function getInferenceClient(): InferenceClient {
  const { INFERENCE_URL, INFERENCE_TOKEN } = env();
  store.cxrInference ??= createInferenceClient({ url: INFERENCE_URL, token: INFERENCE_TOKEN });
  return store.cxrInference;
}
