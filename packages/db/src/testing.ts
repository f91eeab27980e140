// A fresh, migrated database for each test file: on the server named by TEST_DATABASE_URL when set,
// otherwise on an embedded PostgreSQL started for the test run.
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createDb, type Db } from "./client";
import { startEmbeddedPostgres } from "./embedded-postgres";
import { applyMigrations } from "./migrate";

// what vitest-global-setup.ts provides to test files: inject("testDatabaseAdminUrl")
declare module "vitest" {
  export interface ProvidedContext {
    testDatabaseAdminUrl: string;
  }
}

export interface TestDatabase {
  url: string;
  db: Db;
  close(): Promise<void>;
}

/** A server to create test databases on: TEST_DATABASE_URL's, or a throwaway embedded one. */
export async function startTestServer(): Promise<{ adminUrl: string; stop(): Promise<void> }> {
  const external = process.env.TEST_DATABASE_URL;
  if (external) return { adminUrl: external, stop: async () => {} };
  const dir = await mkdtemp(path.join(os.tmpdir(), "cxr-pg-"));
  await chmod(dir, 0o755); // as root, PostgreSQL runs as the `postgres` user, which must reach the folder
  const server = await startEmbeddedPostgres({
    dataDir: path.join(dir, "data"),
    port: 15432 + Math.floor(Math.random() * 2000),
    password: randomBytes(12).toString("hex"),
    ephemeral: true,
  });
  return {
    adminUrl: server.url,
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates an empty database on the server, with every migration applied. */
export async function createTestDatabase(adminUrl: string, migrate = true): Promise<TestDatabase> {
  const name = `test_${Date.now()}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = databaseUrl(adminUrl, name);
  if (migrate) await applyMigrations(url);
  const db = createDb(url);
  return {
    url,
    db,
    close: async () => {
      await db.$disconnect();
      const drop = new pg.Client({ connectionString: adminUrl });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await drop.end();
    },
  };
}
