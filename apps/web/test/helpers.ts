import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
// for the type of inject("testDatabaseAdminUrl")
import type {} from "@cxr/db/vitest-global-setup";
import { type Db, type Role } from "@cxr/db";
import { createTestDatabase, type TestDatabase } from "@cxr/db/testing";
import { demoUserTemplates, seed } from "@cxr/db/seed";
import { LocalStorage } from "@cxr/storage";
import { TRPCError } from "@trpc/server";
import { type Session } from "next-auth";
import { afterAll, beforeAll, inject } from "vitest";
import { createCaller } from "~/server/api/root";
import { createInnerContext } from "~/server/api/trpc";
import { createReviewFixture, type ReviewFixture } from "./review-fixtures";

export const password = (role: Role) => `test-password-${role.toLowerCase()}`;

/** The three demo users (one per role), with known passwords. */
export async function seedUsers(db: Db) {
  await seed(
    db,
    demoUserTemplates.map((u) => ({ ...u, password: password(u.role) })),
  );
  const users = await db.user.findMany();
  const byRole = (role: Role) => {
    const user = users.find((u) => u.role === role);
    if (!user) throw new Error(`seed created no ${role}`);
    return user;
  };
  return { admin: byRole("ADMIN"), radiologist: byRole("RADIOLOGIST"), annotator: byRole("ANNOTATOR") };
}

export function sessionFor(user: { id: string; name: string; email: string; role: Role }): Session {
  return {
    user: { id: user.id, name: user.name, email: user.email, role: user.role },
    expires: new Date(Date.now() + 60_000).toISOString(),
  };
}

/** A server-side caller of the web API as the given user (or signed out). */
export function callerAs(db: Db, session: Session | null) {
  return createCaller(createInnerContext({ session, db }));
}

export type SeededUsers = Awaited<ReturnType<typeof seedUsers>>;

/** This file's database and demo users: `db` and `users` are ready once beforeAll has run. */
export interface SeededDatabase {
  readonly db: Db;
  readonly users: SeededUsers;
  /** the same database as the services' least-privilege role (cxr_app) */
  readonly appUrl: string;
}

/**
 * A fresh, migrated test database with the three demo users, for one test file: created in a beforeAll
 * (call this before the file's own hooks, which then may use it) and closed in an afterAll.
 */
export function useSeededDatabase(): SeededDatabase {
  let t: TestDatabase | undefined;
  let users: SeededUsers | undefined;
  beforeAll(async () => {
    t = await createTestDatabase(inject("testDatabaseAdminUrl"));
    users = await seedUsers(t.db);
  });
  afterAll(() => t?.close());
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the seeded database is used before its beforeAll ran");
    return value;
  };
  return {
    get db() {
      return ready(t).db;
    },
    get users() {
      return ready(users);
    },
    get appUrl() {
      return ready(t).appUrl;
    },
  };
}

/** The tRPC error code a call fails with, or "OK" when it succeeds (any other error is rethrown). */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
  return "OK";
}

export type StoredReviewFixture = ReviewFixture & { storage: LocalStorage };

/**
 * Review cases (createReviewFixture) in `t`'s database, their images in a temporary folder of their own:
 * filled in by a beforeAll (call after useSeededDatabase), the folder removed in an afterAll.
 */
export function useReviewFixture(
  t: SeededDatabase,
  opts: Parameters<typeof createReviewFixture>[2],
): StoredReviewFixture {
  const dir = mkdtempSync(path.join(os.tmpdir(), `cxr-${opts.tag}-`));
  // empty until the beforeAll below: the tests read it only once that has run
  const fx = {} as StoredReviewFixture;
  beforeAll(async () => {
    const storage = new LocalStorage(dir);
    Object.assign(fx, await createReviewFixture(t.db, storage, opts), { storage });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return fx;
}
