// The platform's database: the PostgreSQL named by DATABASE_URL / DATABASE_OWNER_URL, or an embedded one kept
// in DATA_DIR/postgres. Two connections to it: the owner's (migrations, seed) and the services' own
// least-privilege role (see @cxr/db's app-role.ts).
import path from "node:path";
import { connectionUrlAs } from "@cxr/db/migrate";
import { startEmbeddedPostgres } from "@cxr/db/embedded";
import pg from "pg";

const DATABASE = "cxr";
/** the services' role when the stack chooses it (embedded, or DATABASE_OWNER_URL without DATABASE_URL) */
export const APP_ROLE = "cxr_app";

export interface PlatformDatabase {
  /** owns the tables: migrations and the seed */
  ownerUrl: string;
  /** what the web app, the inference service and the ingest CLI connect with */
  appUrl: string;
  description: string;
  stop(): Promise<void>;
}

export async function openDatabase(options: {
  databaseUrl?: string;
  ownerUrl?: string;
  dataDir: string;
  embeddedPort: number;
  password: string;
  appPassword: string;
}): Promise<PlatformDatabase> {
  const external = options.ownerUrl ?? options.databaseUrl;
  if (external) {
    const url = new URL(external);
    return {
      ownerUrl: external,
      appUrl: options.databaseUrl ?? connectionUrlAs(external, APP_ROLE, options.appPassword),
      description: `PostgreSQL at ${url.host}${url.pathname}`,
      stop: async () => {},
    };
  }
  const dataDir = path.join(options.dataDir, "postgres");
  const server = await startEmbeddedPostgres({
    dataDir,
    port: options.embeddedPort,
    password: options.password,
  });
  try {
    await ensureDatabase(server.url, DATABASE);
  } catch (error) {
    await server.stop();
    throw error;
  }
  const ownerUrl = server.urlFor(DATABASE);
  return {
    ownerUrl,
    appUrl: connectionUrlAs(ownerUrl, APP_ROLE, options.appPassword),
    description: `embedded PostgreSQL on port ${server.port}, data in ${dataDir}`,
    stop: () => server.stop(),
  };
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}
