// The inference service as its own process for web tests (as `npm start` runs it), answered over HTTP.
import { spawn } from "node:child_process";
import path from "node:path";
import { createInferenceClient, type InferenceClient } from "@cxr/inference-api/client";

export interface InferenceProcess {
  url: string;
  client: InferenceClient;
  stop(): void;
}

/** Starts apps/inference on `port` with these variables (DATABASE_URL, STORAGE_URL, ...) and waits until it answers. */
export async function startInferenceProcess(
  port: number,
  token: string,
  variables: Record<string, string>,
): Promise<InferenceProcess> {
  const settings = { INFERENCE_TOKEN: token, INFERENCE_PORT: String(port), ML_BACKEND: "cpu", DEMO: "off" };
  const child = spawn(process.execPath, ["--import", "tsx", "apps/inference/src/main.ts"], {
    cwd: path.resolve(import.meta.dirname, "../../.."),
    stdio: "inherit",
    env: { ...process.env, ...settings, ...variables },
  });
  const url = `http://127.0.0.1:${port}`;
  const client = createInferenceClient({ url, token });
  const deadline = Date.now() + 90_000;
  while (
    !(await client.system.info.query().then(
      () => true,
      () => false,
    ))
  ) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill("SIGTERM");
      throw new Error("the inference service did not start");
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, client, stop: () => void child.kill("SIGTERM") };
}
