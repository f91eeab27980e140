// @cxr/inference-api/client: the typed client of the inference service, for callers on a server (the bearer
// token must never reach a browser).
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { EventSource } from "eventsource";
import type { InferenceRouter } from "./router/root";
import { transformer, trpcPath } from "./wire";

export interface InferenceClientOptions {
  /** base URL of the service, e.g. http://127.0.0.1:4000 (the tRPC path is added here) */
  url: string;
  token: string;
}

export function createInferenceClient({ url, token }: InferenceClientOptions) {
  const base = `${url.replace(/\/+$/, "")}${trpcPath}`;
  const authorization = `Bearer ${token}`;
  return createTRPCClient<InferenceRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        // server-sent events; this EventSource sends the bearer header (a browser's cannot, which is one more
        // reason the caller is a server)
        true: httpSubscriptionLink({
          url: base,
          transformer,
          EventSource,
          eventSourceOptions: () => ({
            fetch: (input: string | URL | Request, init?: RequestInit) =>
              fetch(input, {
                ...init,
                headers: { ...(init?.headers as Record<string, string>), authorization },
              }),
          }),
        }),
        false: httpBatchLink({
          url: base,
          transformer,
          headers: () => ({ authorization }),
        }),
      }),
    ],
  });
}

export type InferenceClient = ReturnType<typeof createInferenceClient>;
