// Applies the committed migrations (prisma/migrations/<timestamp>_<name>/migration.sql) with Prisma's own
// engine, recording them in Prisma's `_prisma_migrations` table, so `prisma migrate deploy` on a networked
// server sees the same history; then sets up the services' least-privilege role (app-role.ts).
import { readFile } from "node:fs/promises";
import { grantAppRole } from "./app-role";
import { noSchemaFilter, readMigrations, schemaPath, withSchemaEngine } from "./schema-engine";

// the package exports this module (`@cxr/db/migrate`) for everything a deployment's set-up needs
export { connectionUrlAs } from "./app-role";

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
 * What a database needs before the services start, connected as the owner: the migrations, then the role
 * that `appUrl` names (created or updated) with its grants and the job queue's schema. Idempotent: `npm start`
 * and a deployment's migrate step run it on every start. `appRole` is null when `appUrl` is the owner's.
 */
export async function prepareDatabase(
  ownerUrl: string,
  appUrl: string,
): Promise<{ applied: string[]; appRole: string | null }> {
  const applied = await applyMigrations(ownerUrl);
  return { applied, appRole: await grantAppRole(ownerUrl, appUrl) };
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
