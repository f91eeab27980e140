// Prisma's own schema engine (the code behind `prisma migrate deploy` and `prisma migrate diff`), compiled
// to WebAssembly and driven through @prisma/adapter-pg. Prisma 7's CLI needs a native engine binary that it
// downloads at run time, which these machines cannot reach; the wasm build needs no download.
import { randomUUID } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type * as EngineBindings from "@prisma/schema-engine-wasm";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";
import pg from "pg";

const here = path.dirname(fileURLToPath(import.meta.url));
export const prismaDir = path.resolve(here, "../prisma");
export const schemaPath = path.join(prismaDir, "schema.prisma");
export const migrationsDir = path.join(prismaDir, "migrations");

type EngineModule = typeof EngineBindings;
type WasmExports = Record<string, unknown>;
// Node has WebAssembly, but TypeScript declares it only in the DOM library.
const { WebAssembly: wasm } = globalThis as unknown as {
  WebAssembly: {
    instantiate(
      bytes: Uint8Array,
      imports: Record<string, object>,
    ): Promise<{ instance: { exports: WasmExports } }>;
  };
};
let engineModule: Promise<EngineModule> | undefined;

/** Instantiates the wasm once per process (the package's own entry expects a bundler's wasm import). */
function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= (async () => {
    const require = createRequire(import.meta.url);
    const bindingsPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bindings = (await import(pathToFileURL(bindingsPath).href)) as EngineModule & {
      __wbg_set_wasm(exports: WasmExports): void;
    };
    const bytes = await readFile(bindingsPath.replace(/\.js$/, ".wasm"));
    const { instance } = await wasm.instantiate(bytes, { "./schema_engine_bg.js": bindings });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bindings;
  })();
  return engineModule;
}

type Adapter = Awaited<ReturnType<PrismaPg["connect"]>>;
const ignorePoolError = { onPoolError: () => {} };

/**
 * The pg adapter splits scripts on ";", which breaks `$$` function bodies: a migration file is sent as one
 * simple-protocol query instead, which PostgreSQL runs statement by statement.
 */
function runScriptsWhole(adapter: Adapter): Adapter {
  const driver = adapter.underlyingDriver() as pg.Pool;
  readInternalChar(adapter);
  adapter.executeScript = async (script: string) => {
    try {
      await driver.query(script);
    } catch (error) {
      (adapter as unknown as { onError(e: unknown): never }).onError(error);
    }
  };
  return adapter;
}

/**
 * Introspection reads catalog columns of PostgreSQL's internal one-byte `"char"` type (OID 18), which the
 * adapter cannot map: they are read as text and reported to the engine as its Character column type.
 */
function readInternalChar(adapter: Adapter): void {
  const CHARACTER = 6; // ColumnTypeEnum.Character of @prisma/driver-adapter-utils
  const charColumnsOf = new WeakMap<object, number[]>();
  const io = adapter as unknown as { performIO(query: object): Promise<pg.QueryResult> };
  const performIO = io.performIO.bind(adapter);
  io.performIO = async (query) => {
    const result = await performIO(query);
    const charColumns: number[] = [];
    result.fields.forEach((field, i) => {
      if (field.dataTypeID === 18) {
        field.dataTypeID = 25;
        charColumns.push(i);
      }
    });
    if (charColumns.length) charColumnsOf.set(query, charColumns);
    return result;
  };
  const queryRaw = adapter.queryRaw.bind(adapter);
  adapter.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const i of charColumnsOf.get(query) ?? []) result.columnTypes[i] = CHARACTER;
    return result;
  };
}

/**
 * A factory whose shadow database (a scratch database the engine replays migrations in) is dropped after its
 * connections are closed; the adapter's own drops it first and fails with "being accessed by other users".
 */
function migrationAdapterFactory(config: pg.PoolConfig): { factory: PrismaPg; close(): Promise<void> } {
  const factory = new PrismaPg(config, ignorePoolError);
  const connect = factory.connect.bind(factory);
  // The engine never disposes its main connection; left open, it holds Prisma's migration advisory lock
  // until the pool's idle timeout, stalling the next migration on the same server.
  const opened: Adapter[] = [];
  factory.connect = async () => {
    const adapter = runScriptsWhole(await connect());
    opened.push(adapter);
    return adapter;
  };
  factory.connectToShadowDb = async () => {
    const name = `prisma_migrate_shadow_db_${randomUUID()}`;
    await runAdminQuery(config, `CREATE DATABASE "${name}"`);
    const adapter = runScriptsWhole(
      await new PrismaPg({ ...config, database: name }, ignorePoolError).connect(),
    );
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      await runAdminQuery(config, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    };
    return adapter;
  };
  return { factory, close: async () => void (await Promise.all(opened.map((a) => a.dispose()))) };
}

async function runAdminQuery(config: pg.PoolConfig, sql: string): Promise<void> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Connection fields rather than a connection string: the adapter's shadow database is made by overriding
 * `database`, which a connection string would silently win over (and hit the main database).
 */
export function connectionConfig(databaseUrl: string): pg.PoolConfig {
  const url = new URL(databaseUrl);
  const config: pg.PoolConfig = {
    host: decodeURIComponent(url.hostname) || "localhost",
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username) || undefined,
    password: decodeURIComponent(url.password) || undefined,
    database: decodeURIComponent(url.pathname.slice(1)) || undefined,
    max: 4,
  };
  const sslmode = url.searchParams.get("sslmode");
  if (sslmode && sslmode !== "disable") config.ssl = { rejectUnauthorized: sslmode === "verify-full" };
  const host = url.searchParams.get("host"); // unix socket directory
  if (host) config.host = host;
  return config;
}

/** Runs `fn` with a schema engine connected to `databaseUrl`, and frees it afterwards. */
export async function withSchemaEngine<T>(
  databaseUrl: string,
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const { SchemaEngine } = await loadEngineModule();
  const { factory, close } = migrationAdapterFactory(connectionConfig(databaseUrl));
  const schema = await readFile(schemaPath, "utf8");
  const logs: string[] = [];
  const engine = await SchemaEngine.new(
    { datamodels: [[schemaPath, schema]] },
    (log: string) => logs.push(log),
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  try {
    return await fn(engine);
  } catch (error) {
    throw new Error(`Prisma schema engine: ${describeEngineError(error)}`, { cause: error });
  } finally {
    engine.free();
    await close();
  }
}

function describeEngineError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "object" && error !== null && "message" in error) return String(error.message);
  return String(error);
}

/** The committed migrations, read the way `prisma migrate` reads them. */
export async function readMigrations(dir = migrationsDir): Promise<MigrationList> {
  const lockPath = "migration_lock.toml";
  const lockContent = await readFile(path.join(dir, lockPath), "utf8").catch(() => null);
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const folders = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const migrationDirectories = await Promise.all(
    folders.map(async (name) => {
      const content = await readFile(path.join(dir, name, "migration.sql"), "utf8").then(
        (value) => ({ tag: "ok" as const, value }),
        (error: Error) => ({ tag: "error" as const, value: error.message }),
      );
      return { path: name, migrationFile: { path: "migration.sql", content } };
    }),
  );
  return {
    baseDir: dir,
    lockfile: { path: lockPath, content: lockContent },
    migrationDirectories,
    shadowDbInitScript: "",
  };
}

export const noSchemaFilter = { externalTables: [], externalEnums: [] };
