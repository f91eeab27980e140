import { describe, expect, it } from "vitest";
import { authorizeCredentials } from "~/server/auth/credentials";
import { withActiveAccount } from "~/server/auth/session";
import { password, sessionFor, useSeededDatabase } from "./helpers";

const t = useSeededDatabase();

describe("authorizeCredentials", () => {
  it("accepts the right password, records the sign-in and its time", async () => {
    const before = new Date();
    const user = await authorizeCredentials(t.db, {
      email: "Radiologist@CXR.local ",
      password: password("RADIOLOGIST"),
    });
    expect(user).toEqual({
      id: t.users.radiologist.id,
      name: t.users.radiologist.name,
      email: "radiologist@cxr.local",
      role: "RADIOLOGIST",
    });
    const row = await t.db.user.findUniqueOrThrow({ where: { id: t.users.radiologist.id } });
    expect(row.lastLoginAt?.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    const events = await t.db.auditEvent.findMany({
      where: { action: "user.signed_in", entityId: t.users.radiologist.id },
    });
    expect(events).toHaveLength(1);
    expect(events[0]?.actorRole).toBe("RADIOLOGIST");
  });

  it("refuses a wrong password, an unknown e-mail and malformed input", async () => {
    expect(await authorizeCredentials(t.db, { email: "admin@cxr.local", password: "wrong" })).toBeNull();
    expect(
      await authorizeCredentials(t.db, { email: "nobody@cxr.local", password: password("ADMIN") }),
    ).toBeNull();
    expect(await authorizeCredentials(t.db, { email: "not-an-email", password: "x" })).toBeNull();
    expect(await authorizeCredentials(t.db, undefined)).toBeNull();
    const row = await t.db.user.findUniqueOrThrow({ where: { id: t.users.admin.id } });
    expect(row.lastLoginAt).toBeNull();
  });

  it("refuses an inactive user with the right password", async () => {
    await t.db.user.update({ where: { id: t.users.annotator.id }, data: { active: false } });
    try {
      expect(
        await authorizeCredentials(t.db, { email: "annotator@cxr.local", password: password("ANNOTATOR") }),
      ).toBeNull();
    } finally {
      await t.db.user.update({ where: { id: t.users.annotator.id }, data: { active: true } });
    }
  });
});

describe("withActiveAccount (the pages' session)", () => {
  it("trusts the database, not the token: a deactivated account or a changed role means signing in again", async () => {
    const session = sessionFor(t.users.radiologist);
    expect(await withActiveAccount(t.db, null)).toBeNull();
    expect((await withActiveAccount(t.db, session))?.user).toMatchObject({
      id: t.users.radiologist.id,
      role: "RADIOLOGIST",
    });
    // a token that says ADMIN for an account that is not one does not open the admin pages
    expect(await withActiveAccount(t.db, sessionFor({ ...t.users.radiologist, role: "ADMIN" }))).toBeNull();

    await t.db.user.update({ where: { id: t.users.radiologist.id }, data: { active: false } });
    try {
      expect(await withActiveAccount(t.db, session)).toBeNull();
    } finally {
      await t.db.user.update({ where: { id: t.users.radiologist.id }, data: { active: true } });
    }
  });
});
