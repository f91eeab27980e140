import { initBackend } from "@cxr/ml";
import { loadEnv, type Env } from "./env";
import { createInferenceServer } from "./server";

let env: Env;
try {
  env = loadEnv();
} catch (error) {
  // one readable line, no stack: the fix is in the operator's environment
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

const backend = await initBackend(env.ML_BACKEND).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
console.log(`tfjs backend: ${backend.backend} (${backend.provider})`);
for (const reason of backend.skipped) console.log(`  skipped ${reason}`);

const server = createInferenceServer({ token: env.INFERENCE_TOKEN, backend });
server.on("error", (error) => {
  // e.g. EADDRINUSE: say which address, skip the stack
  console.error(`cannot listen on ${env.INFERENCE_HOST}:${env.INFERENCE_PORT}: ${error.message}`);
  process.exit(1);
});
server.listen(env.INFERENCE_PORT, env.INFERENCE_HOST, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : env.INFERENCE_PORT;
  console.log(`inference listening on http://${env.INFERENCE_HOST}:${port} (backend: ${backend.backend})`);
});

function shutdown(signal: string): void {
  console.log(`${signal} received, closing`);
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  // a stuck in-flight request must not hold the process forever
  setTimeout(() => {
    console.error("requests still open after 5 s, exiting anyway");
    process.exit(1);
  }, 5000).unref();
}
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
