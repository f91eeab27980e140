// A fresh, migrated database for each test file: on the server named by TEST_DATABASE_URL when set,
// otherwise on an embedded PostgreSQL started for the test run. Like a deployment, each has an owner
// connection (`url`, which ran the migrations) and a least-privilege app role of its own (`appUrl`).
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { connectionUrlAs } from "./app-role";
import { createDb, type Db } from "./client";
import { startEmbeddedPostgres } from "./embedded-postgres";
import { prepareDatabase } from "./migrate";

// what vitest-global-setup.ts provides to test files: inject("testDatabaseAdminUrl")
declare module "vitest" {
  export interface ProvidedContext {
    testDatabaseAdminUrl: string;
  }
}

export interface TestDatabase {
  /** the owner's connection (the server's admin user): migrations, fixtures */
  url: string;
  /** Prisma client over `url` */
  db: Db;
  /**
   * the services' connection: a login role of this database's own (dropped by close), set up with its
   * grants when the database is migrated here; otherwise the code under test is expected to set it up
   */
  appUrl: string;
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

/**
 * Creates an empty database on the server, with every migration applied and its app role set up
 * (`migrate` false: empty, no role).
 */
export async function createTestDatabase(adminUrl: string, migrate = true): Promise<TestDatabase> {
  const name = `test_${Date.now()}_${randomBytes(4).toString("hex")}`;
  await runAdmin(adminUrl, `CREATE DATABASE "${name}"`);
  const url = databaseUrl(adminUrl, name);
  // roles belong to the whole server: one per database, so test files running at once never share one
  const appUrl = connectionUrlAs(url, `${name}_app`, randomBytes(12).toString("hex"));
  if (migrate) await prepareDatabase(url, appUrl);
  const db = createDb(url);
  return {
    url,
    db,
    appUrl,
    close: async () => {
      await db.$disconnect();
      await runAdmin(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await runAdmin(adminUrl, `DROP ROLE IF EXISTS "${name}_app"`);
    },
  };
}

async function runAdmin(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
