// The job queue's tables (pg-boss, used by the inference service) live in their own schema. pg-boss installs
// them with `CREATE SCHEMA IF NOT EXISTS`, which PostgreSQL refuses to a role without CREATE on the database
// even when the schema exists, so the owner installs them; the app role then owns that schema and everything
// in it, because pg-boss attaches a new partition to its job table for every queue it creates.
import type pg from "pg";
import PgBoss from "pg-boss";

export const queueSchema = "pgboss";

/** Installs pg-boss's tables unless they exist (later pg-boss versions migrate them themselves). */
export async function installQueueSchema(owner: pg.ClientBase): Promise<boolean> {
  const { rows } = await owner.query<{ version: string | null }>("SELECT to_regclass($1) AS version", [
    `${queueSchema}.version`,
  ]);
  if (rows[0]?.version) return false;
  // one script with its own transaction and pg-boss's advisory lock
  await owner.query(PgBoss.getConstructionPlans(queueSchema));
  return true;
}

/** Makes `role` the owner of the queue's schema and of every object in it (a no-op when it is already). */
export async function handOverQueueSchema(owner: pg.ClientBase, role: string): Promise<void> {
  const to = owner.escapeIdentifier(role);
  await owner.query(`ALTER SCHEMA ${owner.escapeIdentifier(queueSchema)} OWNER TO ${to}`);
  // tables (partitions included: a new owner does not pass to them), views, free-standing sequences (a
  // column's sequence follows its table), types such as pg-boss's job_state enum, and functions
  const { rows } = await owner.query<{ statement: string }>(
    `WITH target AS (SELECT n.oid AS schema, r.oid AS role
                       FROM pg_namespace n, pg_roles r WHERE n.nspname = $1 AND r.rolname = $2)
     SELECT format('ALTER TABLE %s OWNER TO ${to}', c.oid::regclass) AS statement
       FROM pg_class c, target
      WHERE c.relnamespace = target.schema AND c.relowner <> target.role
        AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
        AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')))
     UNION ALL
     SELECT format('ALTER TYPE %s OWNER TO ${to}', t.oid::regtype)
       FROM pg_type t, target
      WHERE t.typnamespace = target.schema AND t.typowner <> target.role AND t.typtype IN ('e', 'd', 'r')
     UNION ALL
     SELECT format('ALTER ROUTINE %s OWNER TO ${to}', p.oid::regprocedure)
       FROM pg_proc p, target
      WHERE p.pronamespace = target.schema AND p.proowner <> target.role`,
    [queueSchema, role],
  );
  for (const { statement } of rows) await owner.query(statement);
}
