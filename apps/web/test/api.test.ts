import { describe, expect, it } from "vitest";
import { callerAs, codeOf, sessionFor, useSeededDatabase } from "./helpers";

const t = useSeededDatabase();

describe("admin.users.list", () => {
  it("returns every seeded user to an ADMIN, without password hashes", async () => {
    const list = await callerAs(t.db, sessionFor(t.users.admin)).admin.users.list();
    expect(list.map((u) => u.email).sort()).toEqual([
      "admin@cxr.local",
      "annotator@cxr.local",
      "radiologist@cxr.local",
    ]);
    expect(list[0]?.role).toBe("ADMIN");
    for (const user of list) expect(user).not.toHaveProperty("passwordHash");
  });

  it.each(["radiologist", "annotator"] as const)("is FORBIDDEN to the %s", async (role) => {
    expect(await codeOf(callerAs(t.db, sessionFor(t.users[role])).admin.users.list())).toBe("FORBIDDEN");
  });

  it("is UNAUTHORIZED when signed out", async () => {
    expect(await codeOf(callerAs(t.db, null).admin.users.list())).toBe("UNAUTHORIZED");
  });

  it("uses the role in the database, not a stale one in the session token", async () => {
    const stale = sessionFor({ ...t.users.annotator, role: "ADMIN" });
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
    const me = await callerAs(t.db, sessionFor(t.users.radiologist)).me.get();
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
