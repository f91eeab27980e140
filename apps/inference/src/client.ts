import { createTRPCClient, httpBatchLink } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "./router/root";

export interface InferenceClientOptions {
  /** base URL of the service, e.g. http://127.0.0.1:4000 (the /trpc path is added here) */
  url: string;
  token: string;
}

export function createInferenceClient({ url, token }: InferenceClientOptions) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${url.replace(/\/+$/, "")}/trpc`,
        transformer: superjson,
        headers: () => ({ authorization: `Bearer ${token}` }),
      }),
    ],
  });
}

export type InferenceClient = ReturnType<typeof createInferenceClient>;
