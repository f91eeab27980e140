import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { applyMigrations } from "../src/migrate";
import { readMigrations } from "../src/schema-engine";
import { createTestDatabase, type TestDatabase } from "../src/testing";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase(inject("testDatabaseAdminUrl"), false);
});
afterAll(() => t.close());

describe("applyMigrations", () => {
  it("applies every committed migration once, recorded in Prisma's history table", async () => {
    const committed = (await readMigrations()).migrationDirectories.map((m) => m.path);
    expect(await applyMigrations(t.url)).toEqual(committed);
    expect(await applyMigrations(t.url)).toEqual([]);

    const client = new pg.Client({ connectionString: t.url });
    await client.connect();
    const { rows } = await client.query<{
      migration_name: string;
      finished_at: Date | null;
      checksum: string;
    }>(`SELECT migration_name, finished_at, checksum FROM _prisma_migrations ORDER BY migration_name`);
    await client.end();
    expect(rows.map((r) => r.migration_name)).toEqual(committed);
    for (const row of rows) {
      expect(row.finished_at).not.toBeNull();
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it("creates the tables of the domain model", async () => {
    const client = new pg.Client({ connectionString: t.url });
    await client.connect();
    const { rows } = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    await client.end();
    const tables = rows.map((r) => r.table_name);
    for (const table of [
      "User",
      "Patient",
      "Study",
      "Image",
      "LabelSet",
      "LabelClass",
      "Read",
      "Annotation",
      "Consensus",
      "ModelVersion",
      "Prediction",
      "GradCamMap",
      "TrainingRun",
      "Campaign",
      "CampaignImage",
      "Assignment",
      "AuditEvent",
    ]) {
      expect(tables).toContain(table);
    }
  });
});
