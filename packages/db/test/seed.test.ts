import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { verifyPassword } from "@cxr/auth";
import { demoUserTemplates, seed } from "../src/seed";
import { createTestDatabase, type TestDatabase } from "../src/testing";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase(inject("testDatabaseAdminUrl"));
});
afterAll(() => t.close());

const users = (password: string) =>
  demoUserTemplates.map((u) => ({ ...u, password: `${password}-${u.role}` }));

describe("seed", () => {
  it("creates one user per role with hashed passwords, and the label sets", async () => {
    await seed(t.db, users("first"));
    const rows = await t.db.user.findMany({ orderBy: { email: "asc" } });
    expect(rows.map((u) => u.role).sort()).toEqual(["ADMIN", "ANNOTATOR", "RADIOLOGIST"]);
    for (const row of rows) {
      expect(row.passwordHash).toMatch(/^\$argon2id\$/);
      expect(row.passwordHash).not.toContain("first");
      expect(await verifyPassword(row.passwordHash!, `first-${row.role}`)).toBe(true);
      expect(await verifyPassword(row.passwordHash!, "wrong")).toBe(false);
    }
    const set = await t.db.labelSet.findUnique({
      where: { name: "cxr-4class" },
      include: { classes: { orderBy: { index: "asc" } } },
    });
    expect(set?.classes.map((c) => c.key)).toEqual(["normal", "pneumonia", "covid-19", "lung-opacity"]);
  });

  it("is idempotent and takes new passwords on a re-run", async () => {
    await seed(t.db, users("second"));
    expect(await t.db.user.count()).toBe(3);
    expect(await t.db.labelSet.count()).toBe(2);
    const admin = await t.db.user.findUniqueOrThrow({ where: { email: "admin@cxr.local" } });
    expect(await verifyPassword(admin.passwordHash!, "second-ADMIN")).toBe(true);
  });
});
