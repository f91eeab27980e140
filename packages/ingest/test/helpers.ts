// A migrated test database with the seeded label sets, and an empty local object store, per test file.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { seed } from "@cxr/db/seed";
import { createTestDatabase, type TestDatabase } from "@cxr/db/testing";
import { LocalStorage, type ObjectStorage } from "@cxr/storage";
import { afterAll, beforeAll, inject } from "vitest";
import type { IngestContext } from "../src/context";

export interface TestEnv {
  t: TestDatabase;
  dir: string;
  storageDir: string;
  storage: ObjectStorage;
  ctx: IngestContext;
  queued: string[];
  close(): Promise<void>;
}

export async function setUp(): Promise<TestEnv> {
  const t = await createTestDatabase(inject("testDatabaseAdminUrl"));
  await seed(t.db, []);
  const dir = await mkdtemp(path.join(os.tmpdir(), "cxr-ingest-"));
  const storageDir = path.join(dir, "objects");
  const storage = new LocalStorage(storageDir);
  const queued: string[] = [];
  const ctx: IngestContext = { db: t.db, storage, onQueued: (ids) => void queued.push(...ids) };
  return {
    t,
    dir,
    storageDir,
    storage,
    ctx,
    queued,
    close: async () => {
      await t.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** setUp() for the whole test file: filled in by a beforeAll, closed by an afterAll. */
export function setUpForFile(): TestEnv {
  // empty until the beforeAll below: the tests read it only once that has run
  const env = {} as TestEnv;
  beforeAll(async () => {
    Object.assign(env, await setUp());
  });
  afterAll(() => env.close());
  return env;
}

export async function objectCount(storage: ObjectStorage): Promise<number> {
  let n = 0;
  for await (const _ of storage.list()) n += 1;
  return n;
}

export async function rowCounts(env: TestEnv) {
  const { db } = env.t;
  return {
    patients: await db.patient.count(),
    studies: await db.study.count(),
    images: await db.image.count(),
    reads: await db.read.count(),
    jobs: await db.importJob.count(),
    storedObjects: await db.storedObject.count(),
    objects: await objectCount(env.storage),
  };
}
