import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { EventSource } from "eventsource";
import superjson from "superjson";
import type { AppRouter } from "./router/root";

export interface InferenceClientOptions {
  /** base URL of the service, e.g. http://127.0.0.1:4000 (the /trpc path is added here) */
  url: string;
  token: string;
}

export function createInferenceClient({ url, token }: InferenceClientOptions) {
  const base = `${url.replace(/\/+$/, "")}/trpc`;
  const authorization = `Bearer ${token}`;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        // server-sent events; this EventSource sends the bearer header (the browser's cannot, the web app's
        // server side is the caller here)
        true: httpSubscriptionLink({
          url: base,
          transformer: superjson,
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
          transformer: superjson,
          headers: () => ({ authorization }),
        }),
      }),
    ],
  });
}

export type InferenceClient = ReturnType<typeof createInferenceClient>;
