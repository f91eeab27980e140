// The services' least-privilege role: on its connection the audit log is append-only for real (no trigger to
// disable, no rows to change), while the owner's connection is the one that migrates.
import pg from "pg";
import PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connectionUrlAs, grantAppRole } from "../src/app-role";
import { applyMigrations, prepareDatabase } from "../src/migrate";
import { queueSchema } from "../src/queue-schema";
import { createTestDatabase, type TestDatabase } from "../src/testing";

const clients: pg.Client[] = [];
async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  clients.push(client);
  return client;
}

let t: TestDatabase;
let owner: pg.Client;
let app: pg.Client;
beforeAll(async () => {
  t = await createTestDatabase(inject("testDatabaseAdminUrl"));
  owner = await connect(t.url);
  app = await connect(t.appUrl);
});
afterAll(async () => {
  for (const client of clients) await client.end();
  await t.close();
});

const appendAudit = (client: pg.Client, entityId: string) =>
  client.query(
    `INSERT INTO "AuditEvent" (action, "entityType", "entityId", reason) VALUES ('test.kept', 'Test', $1, 'original')`,
    [entityId],
  );

describe("the app role's audit log", () => {
  it("takes new events and reads them back", async () => {
    await appendAudit(app, "a1");
    const { rows } = await app.query<{ reason: string }>(
      `SELECT reason FROM "AuditEvent" WHERE "entityId" = 'a1'`,
    );
    expect(rows).toEqual([{ reason: "original" }]);
  });

  it.each([
    [`UPDATE "AuditEvent" SET reason = 'forged'`, /permission denied for table AuditEvent/],
    [`DELETE FROM "AuditEvent"`, /permission denied for table AuditEvent/],
    [`TRUNCATE "AuditEvent"`, /permission denied for table AuditEvent/],
    [
      `ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_append_only"`,
      /must be owner of table AuditEvent/,
    ],
    [`ALTER TABLE "AuditEvent" DISABLE TRIGGER ALL`, /must be owner of table AuditEvent/],
    [`DROP TRIGGER "AuditEvent_append_only" ON "AuditEvent"`, /must be owner of (table|relation) AuditEvent/],
    [`DROP TABLE "AuditEvent"`, /must be owner of table AuditEvent/],
    [`ALTER TABLE "AuditEvent" OWNER TO CURRENT_USER`, /must be owner of table AuditEvent/],
    [
      `CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$ BEGIN RETURN NULL; END $$ LANGUAGE plpgsql`,
      /permission denied for schema public|must be owner of function/,
    ],
    [`SET session_replication_role = replica`, /permission denied to set parameter/],
  ])("refuses %s", async (statement, message) => {
    await appendAudit(owner, "a2");
    await expect(app.query(statement)).rejects.toThrow(message);
    const { rows } = await owner.query<{ reason: string }>(
      `SELECT reason FROM "AuditEvent" WHERE "entityId" = 'a2' LIMIT 1`,
    );
    expect(rows[0]?.reason).toBe("original");
    const trigger = await owner.query<{ tgenabled: string }>(
      `SELECT tgenabled FROM pg_trigger WHERE tgname = 'AuditEvent_append_only'`,
    );
    expect(trigger.rows).toEqual([{ tgenabled: "O" }]);
  });
});

describe("the app role", () => {
  it("reads and writes the domain's rows", async () => {
    await app.query(`INSERT INTO "LabelSet" (id, name) VALUES ('ls1', 'app-written')`);
    await app.query(`UPDATE "LabelSet" SET description = 'changed' WHERE id = 'ls1'`);
    const { rows } = await app.query<{ description: string }>(
      `SELECT description FROM "LabelSet" WHERE id = 'ls1'`,
    );
    expect(rows).toEqual([{ description: "changed" }]);
    await app.query(`DELETE FROM "LabelSet" WHERE id = 'ls1'`);
  });

  it("is no superuser, owns no table of the domain and cannot change the schema or see the migrations", async () => {
    const role = await app.query<{ rolsuper: boolean; rolcreaterole: boolean; rolcreatedb: boolean }>(
      "SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user",
    );
    expect(role.rows).toEqual([{ rolsuper: false, rolcreaterole: false, rolcreatedb: false }]);
    const owned = await owner.query<{ schemaname: string }>(
      `SELECT DISTINCT schemaname FROM pg_tables WHERE tableowner = $1`,
      [new URL(t.appUrl).username],
    );
    expect(owned.rows).toEqual([{ schemaname: queueSchema }]);
    await expect(app.query(`CREATE TABLE public.intruder (id int)`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`CREATE SCHEMA intruder`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`ALTER TABLE "LabelSet" ADD COLUMN x int`)).rejects.toThrow(/must be owner/);
    await expect(app.query(`SELECT * FROM _prisma_migrations`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`SELECT setval('"AuditEvent_id_seq"', 1)`)).rejects.toThrow(/permission denied/);
  });

  it("gets the same grants on tables the owner creates later", async () => {
    await owner.query(`CREATE TABLE "FutureThing" (id serial PRIMARY KEY, note text)`);
    await app.query(`INSERT INTO "FutureThing" (note) VALUES ('later')`);
    await app.query(`DELETE FROM "FutureThing"`);
    await expect(app.query(`TRUNCATE "FutureThing"`)).rejects.toThrow(/permission denied/);
  });

  it("runs the job queue: pg-boss creates a queue and passes a job through on the app's connection", async () => {
    const boss = new PgBoss({ connectionString: t.appUrl, schedule: false, supervise: false, max: 2 });
    await boss.start();
    try {
      await boss.createQueue("app-role-test");
      const id = await boss.send("app-role-test", { n: 1 });
      const [job] = await boss.fetch<{ n: number }>("app-role-test");
      expect(job?.id).toBe(id);
      expect(job?.data).toEqual({ n: 1 });
      await boss.complete("app-role-test", job!.id);
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
  });
});

describe("migrations", () => {
  it("run on the owner's connection, which owns the tables; the app's cannot run them", async () => {
    const { rows } = await owner.query<{ tableowner: string; me: string }>(
      `SELECT tableowner, current_user AS me FROM pg_tables WHERE tablename = '_prisma_migrations'`,
    );
    expect(rows[0]?.tableowner).toBe(rows[0]?.me);
    const tables = await owner.query<{ tableowner: string }>(
      `SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'`,
    );
    expect(tables.rows).toEqual([{ tableowner: rows[0]?.me }]);
    await expect(applyMigrations(t.appUrl)).rejects.toThrow(/permission denied|must be owner/);
  });

  it("and the role set-up are idempotent, and take a new password", async () => {
    const renewed = connectionUrlAs(t.appUrl, new URL(t.appUrl).username, "a-new-password-123");
    expect(await prepareDatabase(t.url, renewed)).toEqual({
      applied: [],
      appRole: new URL(t.appUrl).username,
    });
    const client = await connect(renewed);
    await appendAudit(client, "a3");
    await expect(client.query(`DELETE FROM "AuditEvent"`)).rejects.toThrow(/permission denied/);
    await expect(connect(t.appUrl)).rejects.toThrow(/password authentication failed/);
  });

  it("refuse a superuser or the owner as the services' role", async () => {
    expect(await grantAppRole(t.url, t.url)).toBeNull();
    const superuser = `${new URL(t.appUrl).username}_super`;
    await owner.query(`CREATE ROLE "${superuser}" SUPERUSER`);
    try {
      await expect(grantAppRole(t.url, connectionUrlAs(t.url, superuser, "x-password"))).rejects.toThrow(
        /is a superuser/,
      );
    } finally {
      await owner.query(`DROP ROLE "${superuser}"`);
    }
  });
});

describe("an existing database whose services connected as the owner", () => {
  let old: TestDatabase;
  afterAll(() => old?.close());

  it("is taken over in place: the queue the owner's pg-boss made passes to the app role", async () => {
    old = await createTestDatabase(inject("testDatabaseAdminUrl"), false);
    await applyMigrations(old.url);
    // as before this change: the inference service, connected as the owner, installed the queue
    const before = new PgBoss({ connectionString: old.url, schedule: false, supervise: false, max: 2 });
    await before.start();
    await before.createQueue("predict");
    const waiting = await before.send("predict", { image: "x" });
    await before.stop({ graceful: false, wait: true });

    expect((await prepareDatabase(old.url, old.appUrl)).appRole).toBe(new URL(old.appUrl).username);

    const after = new PgBoss({ connectionString: old.appUrl, schedule: false, supervise: false, max: 2 });
    await after.start();
    try {
      await after.createQueue("predict");
      await after.createQueue("train");
      const [job] = await after.fetch("predict");
      expect(job?.id).toBe(waiting);
      await after.complete("predict", job!.id);
    } finally {
      await after.stop({ graceful: false, wait: true });
    }
    const ownerClient = new pg.Client({ connectionString: old.url });
    await ownerClient.connect();
    const { rows } = await ownerClient
      .query<{ owner: string }>(
        `SELECT DISTINCT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE relnamespace = $1::regnamespace`,
        [queueSchema],
      )
      .finally(() => ownerClient.end());
    expect(rows).toEqual([{ owner: new URL(old.appUrl).username }]);
  });
});
