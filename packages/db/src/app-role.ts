// The database's two roles. The owner (DATABASE_OWNER_URL's role) applies the migrations, runs the seed and
// owns every table. The services (web, inference, the ingest CLI) connect as the app role (DATABASE_URL's),
// which owns no table of the domain: it reads and writes rows, may only append to and read the audit log,
// and owns only the job queue's schema. So a service, or whoever takes one over, cannot disable or drop the
// audit log's trigger, rewrite the audit log, or change the schema.
import pg from "pg";
import { handOverQueueSchema, installQueueSchema, queueSchema } from "./queue-schema";

/** Tables the app role may read and append to, never change or empty. */
export const appendOnlyTables = ["AuditEvent"] as const;
/** Tables the app role may not touch at all: Prisma's migration history. */
export const ownerOnlyTables = ["_prisma_migrations"] as const;

/** `url` with another user and password (same server, same database). */
export function connectionUrlAs(url: string, user: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(user);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

interface Login {
  user: string;
  password: string;
  database: string;
}

function loginOf(url: string): Login {
  const parsed = new URL(url);
  return {
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.slice(1)),
  };
}

/**
 * Connected as the owner: creates (or updates) the login role that `appUrl` names with its password, grants
 * it what the services need and nothing more, and hands it the job queue's schema. Idempotent; run after every
 * migration, so new tables get their grants (tables the owner creates outside migrations get them through
 * default privileges). Returns the app role's name, or null when `appUrl` connects as the owner itself
 * (one role for everything: no separation to set up).
 */
export async function grantAppRole(ownerUrl: string, appUrl: string): Promise<string | null> {
  const app = loginOf(appUrl);
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const {
      rows: [owner],
    } = await client.query<{ user: string; database: string }>(
      "SELECT current_user AS user, current_database() AS database",
    );
    if (!owner) throw new Error("the owner connection returned no row");
    if (!app.user || app.user === owner.user) return null;
    if (app.database && app.database !== owner.database) {
      throw new Error(
        `DATABASE_URL names database ${app.database}, DATABASE_OWNER_URL ${owner.database}: they must be the same`,
      );
    }
    await installQueueSchema(client);
    await client.query("BEGIN");
    await ensureLoginRole(client, app);
    await grantPrivileges(client, app.user, owner);
    await handOverQueueSchema(client, app.user);
    await refuseForeignOwnership(client, app.user, owner.database);
    await client.query("COMMIT");
    return app.user;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

async function ensureLoginRole(client: pg.Client, app: Login): Promise<void> {
  const { rows } = await client.query<{ rolsuper: boolean }>(
    "SELECT rolsuper FROM pg_roles WHERE rolname = $1",
    [app.user],
  );
  if (rows[0]?.rolsuper) {
    throw new Error(
      `DATABASE_URL's role ${app.user} is a superuser: the services need a role of their own, without privileges ` +
        "beyond their data (DATABASE_OWNER_URL names the owner)",
    );
  }
  const role = client.escapeIdentifier(app.user);
  if (!rows.length) await client.query(`CREATE ROLE ${role}`);
  const password = app.password ? ` PASSWORD ${client.escapeLiteral(app.password)}` : "";
  await client.query(
    `ALTER ROLE ${role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS${password}`,
  );
  // a membership would lend it another role's privileges (the owner's, or pg_write_all_data's)
  const { rows: memberships } = await client.query<{ granted: string }>(
    `SELECT g.rolname AS granted FROM pg_auth_members m
       JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles r ON r.oid = m.member
      WHERE r.rolname = $1`,
    [app.user],
  );
  for (const { granted } of memberships) {
    await client.query(`REVOKE ${client.escapeIdentifier(granted)} FROM ${role}`);
  }
}

async function grantPrivileges(
  client: pg.Client,
  appUser: string,
  owner: { user: string; database: string },
): Promise<void> {
  const app = client.escapeIdentifier(appUser);
  const ownerRole = client.escapeIdentifier(owner.user);
  const existing = async (tables: readonly string[]) => {
    const { rows } = await client.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY($1)",
      [tables],
    );
    return rows.map((r) => `public.${client.escapeIdentifier(r.name)}`);
  };
  const statements = [
    `GRANT CONNECT ON DATABASE ${client.escapeIdentifier(owner.database)} TO ${app}`,
    // only the owner creates tables (PostgreSQL 15 and newer revoke this already)
    "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
    `GRANT USAGE ON SCHEMA public TO ${app}`,
    // from nothing, so a privilege granted by hand (TRUNCATE, TRIGGER, ...) does not survive
    `REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${app}`,
    `REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${app}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${app}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${app}`,
    ...(await existing(appendOnlyTables)).map((t) => `REVOKE UPDATE, DELETE ON ${t} FROM ${app}`),
    ...(await existing(ownerOnlyTables)).map((t) => `REVOKE ALL ON ${t} FROM ${app}`),
    // tables and sequences the owner creates later
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${ownerRole} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${app}`,
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${ownerRole} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${app}`,
  ];
  for (const statement of statements) await client.query(statement);
}

/** The app role may own the queue's schema and nothing else: no table of the domain, not the database. */
async function refuseForeignOwnership(client: pg.Client, appUser: string, database: string): Promise<void> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.oid::regclass::text AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relowner = (SELECT oid FROM pg_roles WHERE rolname = $1)
        AND n.nspname <> $2 AND n.nspname NOT LIKE 'pg\\_%'
     UNION ALL
     SELECT 'database ' || datname FROM pg_database
      WHERE datname = $3 AND datdba = (SELECT oid FROM pg_roles WHERE rolname = $1)`,
    [appUser, queueSchema, database],
  );
  if (rows.length) {
    throw new Error(
      `DATABASE_URL's role ${appUser} owns ${rows.map((r) => r.name).join(", ")}: the owner role ` +
        "(DATABASE_OWNER_URL's) must own them (ALTER ... OWNER TO)",
    );
  }
}
