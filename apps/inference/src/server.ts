import http from "node:http";
import { trpcPath } from "@cxr/inference-api";
import { createContextFactory, inferenceRouter } from "@cxr/inference-api/server";
import type { BackendInfo } from "@cxr/ml";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import type { Deps } from "./deps";
import { createHandlers } from "./handlers";

export interface InferenceServerOptions {
  token: string;
  backend: BackendInfo;
  /** the database, queue and models; without them only /health and system calls work */
  deps?: Deps;
  /** largest accepted request body; images will come as references, not inline */
  maxBodyBytes?: number;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

/** An http.Server (not yet listening) serving /health and the inference API's router under /trpc. */
export function createInferenceServer({
  token,
  backend,
  deps,
  maxBodyBytes = 1024 * 1024,
}: InferenceServerOptions): http.Server {
  const trpc = createHTTPHandler({
    router: inferenceRouter,
    basePath: `${trpcPath}/`,
    maxBodySize: maxBodyBytes,
    createContext: createContextFactory({ token, handlers: createHandlers({ backend, deps }) }),
    onError({ error, path }) {
      // the caller sees a masked message; the operator sees the real one
      if (error.code === "INTERNAL_SERVER_ERROR")
        console.error(`trpc ${path ?? "?"} failed:`, error.cause ?? error);
    },
  });

  return http.createServer((req, res) => {
    const { pathname } = new URL(req.url ?? "/", "http://localhost");
    if (pathname === "/health" && (req.method === "GET" || req.method === "HEAD")) {
      sendJson(res, 200, { ok: true, backend: backend.backend });
    } else if (pathname.startsWith(`${trpcPath}/`)) {
      trpc(req, res);
    } else {
      sendJson(res, 404, { error: "Not found" });
    }
  });
}
