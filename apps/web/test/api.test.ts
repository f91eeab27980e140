import { createTestDatabase, type TestDatabase } from "@cxr/db/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { callerAs, codeOf, seedUsers, sessionFor } from "./helpers";

let t: TestDatabase;
let users: Awaited<ReturnType<typeof seedUsers>>;

beforeAll(async () => {
  t = await createTestDatabase(inject("testDatabaseAdminUrl"));
  users = await seedUsers(t.db);
});
afterAll(() => t.close());

describe("admin.users.list", () => {
  it("returns every seeded user to an ADMIN, without password hashes", async () => {
    const list = await callerAs(t.db, sessionFor(users.admin)).admin.users.list();
    expect(list.map((u) => u.email).sort()).toEqual([
      "admin@cxr.local",
      "annotator@cxr.local",
      "radiologist@cxr.local",
    ]);
    expect(list[0]?.role).toBe("ADMIN");
    for (const user of list) expect(user).not.toHaveProperty("passwordHash");
  });

  it("is FORBIDDEN to a RADIOLOGIST and an ANNOTATOR", async () => {
    expect(await codeOf(callerAs(t.db, sessionFor(users.radiologist)).admin.users.list())).toBe("FORBIDDEN");
    expect(await codeOf(callerAs(t.db, sessionFor(users.annotator)).admin.users.list())).toBe("FORBIDDEN");
  });

  it("is UNAUTHORIZED when signed out", async () => {
    expect(await codeOf(callerAs(t.db, null).admin.users.list())).toBe("UNAUTHORIZED");
  });

  it("uses the role in the database, not a stale one in the session token", async () => {
    const stale = sessionFor({ ...users.annotator, role: "ADMIN" });
    expect(await codeOf(callerAs(t.db, stale).admin.users.list())).toBe("FORBIDDEN");
  });

  it("refuses a deactivated account even with a valid session", async () => {
    const extra = await t.db.user.create({
      data: { email: "former@cxr.local", name: "Former Admin", role: "ADMIN", active: false },
    });
    expect(await codeOf(callerAs(t.db, sessionFor(extra)).admin.users.list())).toBe("UNAUTHORIZED");
  });
});

describe("me.get", () => {
  it("returns the signed-in user", async () => {
    const me = await callerAs(t.db, sessionFor(users.radiologist)).me.get();
    expect(me).toMatchObject({ email: "radiologist@cxr.local", role: "RADIOLOGIST" });
  });

  it("is UNAUTHORIZED when signed out", async () => {
    expect(await codeOf(callerAs(t.db, null).me.get())).toBe("UNAUTHORIZED");
  });
});

describe("system.status", () => {
  it("is UNAUTHORIZED when signed out", async () => {
    expect(await codeOf(callerAs(t.db, null).system.status())).toBe("UNAUTHORIZED");
  });
});
