// Runs the real platform the way `npm start` does (after its build step) and checks what a user sees.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@cxr/db/testing";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { findFreePort, startEmbeddedPostgres } from "@cxr/db/embedded";
import { repoRoot } from "../src/config";
import { APP_ROLE } from "../src/database";

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

/** The roles the services' connections to `database` use (the inference queue's and the web app's pools). */
async function serviceRoles(ownerUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ usename: string }>(
      `SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    return rows.map((r) => r.usename);
  } finally {
    await client.end();
  }
}

describe("the platform started with DATABASE_OWNER_URL and DATABASE_URL", () => {
  let database: TestDatabase;
  afterAll(() => database?.close());

  it("migrates and seeds as the owner, runs the services as DATABASE_URL's role and stops all on SIGINT", async () => {
    database = await createTestDatabase(inject("testDatabaseAdminUrl"), false);
    const dataDir = await tempDir();
    const stack = await startStack({
      DATA_DIR: dataDir,
      DATABASE_OWNER_URL: database.url,
      DATABASE_URL: database.appUrl,
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

      // the web app (health check) and the inference service (queue) are connected; this test is not yet
      const appRole = new URL(database.appUrl).username;
      expect(await serviceRoles(database.url)).toEqual([appRole]);
      expect(stack.output()).toContain(`The services connect as ${appRole}`);
      expect(existsSync(path.join(dataDir, "postgres"))).toBe(false);
      expect(await database.db.user.count()).toBe(3);
      // passwords the operator gave are never printed
      expect(stack.output()).toMatch(/ADMIN\s+admin@cxr\.local\s+password from SEED_ADMIN_PASSWORD/);
      expect(stack.output()).not.toContain("admin-from-env-1");
    } finally {
      expect(await interrupt(stack)).toBe(0);
    }
    expect(await refused(`${stack.webUrl}/api/health`)).toBe(true);
    expect(await refused(`${stack.inferenceUrl}/health`)).toBe(true);
  });
});

/**
 * Turns a data folder back into what `npm start` left before the services had a role of their own: no app role
 * (the services connected as the superuser that owns the tables, pg-boss's schema included) and a secrets file
 * without the app role's password.
 */
async function makeDataFolderOld(dataDir: string): Promise<void> {
  const file = path.join(dataDir, "secrets.json");
  const { appDatabasePassword, ...old } = JSON.parse(await readFile(file, "utf8")) as {
    postgresPassword: string;
    appDatabasePassword?: string;
  };
  expect(appDatabasePassword).toBeTruthy();
  await writeFile(file, JSON.stringify(old, null, 2), { mode: 0o600 });
  const server = await startEmbeddedPostgres({
    dataDir: path.join(dataDir, "postgres"),
    port: await findFreePort(30000 + Math.floor(Math.random() * 10000)),
    password: old.postgresPassword,
  });
  const client = new pg.Client({ connectionString: server.urlFor("cxr") });
  try {
    await client.connect();
    await client.query(`REASSIGN OWNED BY ${APP_ROLE} TO postgres`);
    await client.query(`DROP OWNED BY ${APP_ROLE}`);
    await client.query(`DROP ROLE ${APP_ROLE}`);
  } finally {
    await client.end();
    await server.stop();
  }
}

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
    expect(runtime.databaseUrl).toMatch(new RegExp(`^postgresql://${APP_ROLE}:.+@127\\.0\\.0\\.1:\\d+/cxr$`));
    expect(first.output()).toContain(`The services connect as ${APP_ROLE}`);
    expect(await interrupt(first)).toBe(0);
    expect(existsSync(path.join(dataDir, "runtime.json"))).toBe(false);

    expect(existsSync(path.join(dataDir, "postgres", "PG_VERSION"))).toBe(true);
    const secretsFile = path.join(dataDir, "secrets.json");
    const secrets = JSON.parse(await readFile(secretsFile, "utf8")) as {
      seedPasswords: { ADMIN: string };
    };
    expect(secrets.seedPasswords.ADMIN.length).toBeGreaterThanOrEqual(16);
    // generated passwords are shown at the start that created them ...
    expect(first.output()).toMatch(
      new RegExp(`ADMIN\\s+admin@cxr\\.local\\s+${secrets.seedPasswords.ADMIN}\\s+\\(generated now`),
    );

    // ... and the second start, on a folder as the code before the services' own role left it, upgrades it
    await makeDataFolderOld(dataDir);
    const second = await startStack({ DATA_DIR: dataDir });
    try {
      expect(second.output()).toContain("Migrations: up to date");
      expect(second.output()).toContain(`The services connect as ${APP_ROLE}`);
      expect(second.output()).not.toContain(secrets.seedPasswords.ADMIN);
      expect(second.output()).toContain(`password in ${secretsFile}`);
      expect((await fetch(`${second.webUrl}/api/health`)).status).toBe(200);
      expect(await (await fetch(`${second.inferenceUrl}/health`)).json()).toEqual({
        ok: true,
        backend: "cpu",
      });
      console.log(
        JSON.stringify({ firstStartSeconds: first.startSeconds, secondStartSeconds: second.startSeconds }),
      );
    } finally {
      expect(await interrupt(second)).toBe(0);
    }
  });
});
