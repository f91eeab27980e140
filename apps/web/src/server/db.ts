import "server-only";
import { createDb, type Db } from "@cxr/db";
import { env } from "~/env";

// One client (and one connection pool) per server process; kept on globalThis so `next dev`'s module
// reloads do not open a new pool on every edit.
const store = globalThis as unknown as { cxrDb?: Db };

export function getDb(): Db {
  store.cxrDb ??= createDb(env().DATABASE_URL);
  return store.cxrDb;
}
