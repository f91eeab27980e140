// The review tests' common ground: a migrated database of the test file's own, the demo users, and a review
// fixture of `count` small cases in a throwaway storage folder; all gone after the file's tests.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@cxr/db/testing";
import { LocalStorage } from "@cxr/storage";
import { afterAll, beforeAll, inject } from "vitest";
import { seedUsers } from "./helpers";
import { createReviewFixture, type ReviewFixture } from "./review-fixtures";

export interface ReviewSetup {
  t: TestDatabase;
  users: Awaited<ReturnType<typeof seedUsers>>;
  fx: ReviewFixture;
  storage: LocalStorage;
  dir: string;
}

/** Registers the file's beforeAll/afterAll; `ready` receives the setup once it exists. */
export function useReviewDatabase(tag: string, count: number, ready: (s: ReviewSetup) => void): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), `cxr-${tag}-`));
  let t: TestDatabase | undefined;
  beforeAll(async () => {
    t = await createTestDatabase(inject("testDatabaseAdminUrl"));
    const users = await seedUsers(t.db);
    const storage = new LocalStorage(dir);
    const fx = await createReviewFixture(t.db, storage, { count, size: 32, tag });
    ready({ t, users, fx, storage, dir });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });
}
