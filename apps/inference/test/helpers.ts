import type { AddressInfo } from "node:net";
import { failure } from "@cxr/inference-api/testing";
import { initBackend } from "@cxr/ml";
import { createInferenceServer } from "../src/server";

export const TOKEN = "test-token-0123456789abcdef";

/** Starts the real server on a free port; the backend does not matter here, so the fast cpu one is used. */
export async function startServer() {
  const backend = await initBackend("cpu");
  const server = createInferenceServer({ token: TOKEN, backend });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

export { failure };

/** The tRPC code a call expected to fail failed with. */
export async function codeOf(call: Promise<unknown>): Promise<string | undefined> {
  return (await failure(call)).data?.code;
}
