// The real inference service as its own process over HTTP (as `npm start` runs it) on a test database, with
// the web app's environment pointed at it: for the tests of pages that call the service (models, training).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { vi } from "vitest";

export interface StartedInference {
  url: string;
  stop(): void;
}

async function healthy(url: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    if (
      await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("the inference service did not become healthy");
}

/** Starts it on `port` as `databaseUrl`'s role (no demo, cpu backend) and waits until it is healthy. */
export async function startInferenceService(opts: {
  port: number;
  token: string;
  databaseUrl: string;
}): Promise<StartedInference> {
  const url = `http://127.0.0.1:${opts.port}`;
  const service: ChildProcess = spawn(process.execPath, ["--import", "tsx", "apps/inference/src/main.ts"], {
    cwd: path.resolve(import.meta.dirname, "../../.."),
    stdio: "inherit",
    env: {
      ...process.env,
      INFERENCE_TOKEN: opts.token,
      INFERENCE_PORT: String(opts.port),
      DATABASE_URL: opts.databaseUrl,
      ML_BACKEND: "cpu",
      DEMO: "off",
      BALD_SAMPLES: "0",
      MODELS_DIR: mkdtempSync(path.join(os.tmpdir(), "cxr-models-")),
    },
  });
  const stop = () => void service.kill("SIGTERM");
  try {
    await healthy(url, Date.now() + 90_000);
  } catch (error) {
    stop();
    throw error;
  }
  vi.stubEnv("INFERENCE_URL", url);
  vi.stubEnv("INFERENCE_TOKEN", opts.token);
  vi.stubEnv("DATABASE_URL", opts.databaseUrl);
  vi.stubEnv("NEXTAUTH_SECRET", "inference-test-secret-0123456789");
  return { url, stop };
}
