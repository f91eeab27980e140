// Runs the real platform the way `npm start` does (after its build step) and checks what a user sees.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@cxr/db/testing";
import { afterAll, describe, expect, inject, it } from "vitest";
import { findFreePort } from "@cxr/db/embedded";
import { repoRoot } from "../src/config";

interface RunningStack {
  process: ChildProcess;
  output: () => string;
  webUrl: string;
  inferenceUrl: string;
  startSeconds: number;
}

const tempDirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "cxr-stack-"));
  await chmod(dir, 0o755); // PostgreSQL runs as the `postgres` user when we are root
  tempDirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

async function startStack(env: Record<string, string>): Promise<RunningStack> {
  const webPort = await findFreePort(20000 + Math.floor(Math.random() * 10000));
  const inferencePort = await findFreePort(webPort + 1);
  const started = Date.now();
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/stack.ts"], {
    cwd: repoRoot,
    env: {
      ...process.env,
      WEB_PORT: String(webPort),
      INFERENCE_PORT: String(inferencePort),
      EMBEDDED_PG_PORT: String(await findFreePort(inferencePort + 1)),
      ML_BACKEND: "cpu",
      // the demo's background training is the inference service's own test; here it would only load the CPU
      DEMO: "off",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes("CXR Review is running.")) {
        clearInterval(timer);
        resolve();
      }
    }, 100);
    child.once("exit", (code) => {
      clearInterval(timer);
      reject(new Error(`stack exited (${code}) before it was ready:\n${output}`));
    });
  });
  return {
    process: child,
    output: () => output,
    webUrl: `http://localhost:${webPort}`,
    inferenceUrl: `http://127.0.0.1:${inferencePort}`,
    startSeconds: (Date.now() - started) / 1000,
  };
}

/** Ctrl-C: everything stops and the process exits 0. */
async function interrupt(stack: RunningStack): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => stack.process.once("exit", (code) => resolve(code)));
  stack.process.kill("SIGINT");
  return exited;
}

async function refused(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2000) });
    return false;
  } catch {
    return true;
  }
}

describe("the platform started with DATABASE_URL", () => {
  let database: TestDatabase;
  afterAll(() => database?.close());

  it("uses that PostgreSQL, serves both health endpoints and stops all parts on SIGINT", async () => {
    database = await createTestDatabase(inject("testDatabaseAdminUrl"), false);
    const dataDir = await tempDir();
    const stack = await startStack({
      DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      SEED_ADMIN_PASSWORD: "admin-from-env-1",
      SEED_RADIOLOGIST_PASSWORD: "radiologist-from-env-1",
      SEED_ANNOTATOR_PASSWORD: "annotator-from-env-1",
    });
    try {
      const web = await fetch(`${stack.webUrl}/api/health`);
      expect(web.status).toBe(200);
      expect(await web.json()).toEqual({ ok: true, db: "up", inference: "up" });
      const inference = await fetch(`${stack.inferenceUrl}/health`);
      expect(await inference.json()).toEqual({ ok: true, backend: "cpu" });

      expect(existsSync(path.join(dataDir, "postgres"))).toBe(false);
      expect(await database.db.user.count()).toBe(3);
      expect(stack.output()).toContain("admin@cxr.local");
      expect(stack.output()).toContain("admin-from-env-1");
      expect(stack.output()).toMatch(/ADMIN\s+admin@cxr\.local\s+admin-from-env-1\s+\(environment\)/);
    } finally {
      expect(await interrupt(stack)).toBe(0);
    }
    expect(await refused(`${stack.webUrl}/api/health`)).toBe(true);
    expect(await refused(`${stack.inferenceUrl}/health`)).toBe(true);
  });
});

describe("the platform with its embedded PostgreSQL", () => {
  it("creates its data folder on the first start and reuses it, passwords included, on the second", async () => {
    const dataDir = await tempDir();
    const first = await startStack({ DATA_DIR: dataDir });
    expect(first.output()).toMatch(/Applied migrations: \d+_init/);
    expect(await (await fetch(`${first.webUrl}/api/health`)).json()).toEqual({
      ok: true,
      db: "up",
      inference: "up",
    });
    const runtime = JSON.parse(await readFile(path.join(dataDir, "runtime.json"), "utf8")) as {
      databaseUrl: string;
    };
    expect(runtime.databaseUrl).toMatch(/^postgresql:\/\/postgres:.+@127\.0\.0\.1:\d+\/cxr$/);
    expect(await interrupt(first)).toBe(0);
    expect(existsSync(path.join(dataDir, "runtime.json"))).toBe(false);

    expect(existsSync(path.join(dataDir, "postgres", "PG_VERSION"))).toBe(true);
    const secrets = JSON.parse(await readFile(path.join(dataDir, "secrets.json"), "utf8")) as {
      seedPasswords: { ADMIN: string };
    };
    expect(secrets.seedPasswords.ADMIN.length).toBeGreaterThanOrEqual(16);
    expect(first.output()).toMatch(
      new RegExp(`ADMIN\\s+admin@cxr\\.local\\s+${secrets.seedPasswords.ADMIN}\\s+\\(generated\\)`),
    );

    const second = await startStack({ DATA_DIR: dataDir });
    try {
      expect(second.output()).toContain("Migrations: up to date");
      expect(second.output()).toContain(secrets.seedPasswords.ADMIN);
      expect((await fetch(`${second.webUrl}/api/health`)).status).toBe(200);
      console.log(
        JSON.stringify({ firstStartSeconds: first.startSeconds, secondStartSeconds: second.startSeconds }),
      );
    } finally {
      expect(await interrupt(second)).toBe(0);
    }
  });
});
