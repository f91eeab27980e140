// for the type of inject("testDatabaseAdminUrl")
import type {} from "@cxr/db/vitest-global-setup";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Db, type Role } from "@cxr/db";
import { demoUserTemplates, seed } from "@cxr/db/seed";
import { createTestDatabase, type TestDatabase } from "@cxr/db/testing";
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

/** The tRPC error code a call failed with, or "OK"; anything but a tRPC error is rethrown. */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
  return "OK";
}

export interface ReviewTestBed {
  t: TestDatabase;
  users: Awaited<ReturnType<typeof seedUsers>>;
  fx: ReviewFixture;
  storage: LocalStorage;
}

/**
 * A test file's own database with the demo users and `count` review cases (their objects in a temporary
 * folder): made before the file's tests, removed after them. Its fields are there once beforeAll has run.
 */
export function reviewTestBed(tag: string, count = 6): Readonly<ReviewTestBed> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `cxr-${tag}-`));
  let bed: ReviewTestBed | undefined;
  beforeAll(async () => {
    const t = await createTestDatabase(inject("testDatabaseAdminUrl"));
    const storage = new LocalStorage(dir);
    const users = await seedUsers(t.db);
    bed = { t, users, storage, fx: await createReviewFixture(t.db, storage, { count, size: 32, tag }) };
  });
  afterAll(async () => {
    await bed?.t.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const ready = (): ReviewTestBed => {
    if (!bed) throw new Error("the review test bed is made in beforeAll");
    return bed;
  };
  return {
    get t() {
      return ready().t;
    },
    get users() {
      return ready().users;
    },
    get fx() {
      return ready().fx;
    },
    get storage() {
      return ready().storage;
    },
  };
}
