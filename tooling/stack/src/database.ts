// The platform's database: the PostgreSQL named by DATABASE_URL, or an embedded one kept in DATA_DIR/postgres.
import path from "node:path";
import { startEmbeddedPostgres } from "@cxr/db/embedded";
import pg from "pg";

const DATABASE = "cxr";

export interface PlatformDatabase {
  url: string;
  description: string;
  stop(): Promise<void>;
}

export async function openDatabase(options: {
  databaseUrl?: string;
  dataDir: string;
  embeddedPort: number;
  password: string;
}): Promise<PlatformDatabase> {
  if (options.databaseUrl) {
    const url = new URL(options.databaseUrl);
    return {
      url: options.databaseUrl,
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
  return {
    url: server.urlFor(DATABASE),
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
