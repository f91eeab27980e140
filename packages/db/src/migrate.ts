// Applies the committed migrations (prisma/migrations/<timestamp>_<name>/migration.sql) with Prisma's own
// engine, recording them in Prisma's `_prisma_migrations` table, so `prisma migrate deploy` on a networked
// server sees the same history.
import { readFile } from "node:fs/promises";
import { noSchemaFilter, readMigrations, schemaPath, withSchemaEngine } from "./schema-engine";

export async function applyMigrations(databaseUrl: string): Promise<string[]> {
  const migrationsList = await readMigrations();
  if (migrationsList.migrationDirectories.length === 0) {
    throw new Error("No migrations found in packages/db/prisma/migrations");
  }
  return withSchemaEngine(databaseUrl, async (engine) => {
    const { appliedMigrationNames } = await engine.applyMigrations({
      migrationsList,
      filters: noSchemaFilter,
    });
    return appliedMigrationNames;
  });
}

/**
 * SQL that would take the committed migrations to what schema.prisma describes; empty when they agree.
 * Replays the migrations in a scratch shadow database on the server at `databaseUrl`.
 */
export async function pendingSchemaChanges(databaseUrl: string): Promise<string> {
  const migrationsList = await readMigrations();
  return withSchemaEngine(databaseUrl, async (engine) => {
    const result = await engine.diff({
      from: { tag: "migrations", ...migrationsList },
      to: {
        tag: "schemaDatamodel",
        files: [{ path: schemaPath, content: await readFile(schemaPath, "utf8") }],
      },
      script: true,
      exitCode: false,
      filters: noSchemaFilter,
    });
    const sql = (result.stdout ?? "").trim();
    return sql === "-- This is an empty migration." ? "" : sql;
  });
}
