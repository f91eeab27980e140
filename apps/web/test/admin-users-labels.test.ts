// Users and label sets administration over a real PostgreSQL: accounts created with a generated password
// (Argon2id), role changes, deactivation and password resets audited, the last active admin protected; label
// sets with classes, hotkeys, order and retirement, and the review case offering only the live classes.
import { verifyPassword } from "@cxr/auth";
import { describe, expect, it } from "vitest";
import { getCase } from "~/server/services/review/case";
import { callerAs, codeOf, sessionFor, useReviewFixture, useSeededDatabase } from "./helpers";

const t = useSeededDatabase();
const fx = useReviewFixture(t, { count: 1, size: 32, tag: "admin-labels" });
const admin = () => callerAs(t.db, sessionFor(t.users.admin));
const audits = (entityId: string) =>
  t.db.auditEvent.findMany({
    where: { entityId },
    orderBy: { id: "asc" },
    select: { action: true, actorId: true },
  });

describe("users", () => {
  it("creates an account with a generated password shown once and kept only as an Argon2id hash", async () => {
    const { user, password } = await admin().admin.users.create({
      email: "New.Reader@CXR.local",
      name: "New Reader",
      role: "RADIOLOGIST",
    });
    expect(user).toMatchObject({ email: "new.reader@cxr.local", role: "RADIOLOGIST", active: true });
    expect(password).toMatch(/^[\w-]{24}$/);
    const row = await t.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(row.passwordHash!, password)).toBe(true);
    expect(await audits(user.id)).toEqual([{ action: "user.created", actorId: t.users.admin.id }]);
    const events = await t.db.auditEvent.findMany({
      where: { entityId: user.id },
      select: { before: true, after: true, reason: true },
    });
    expect(JSON.stringify(events)).not.toContain(password);

    expect(
      await codeOf(
        admin().admin.users.create({ email: "new.reader@cxr.local", name: "Again", role: "ANNOTATOR" }),
      ),
    ).toBe("CONFLICT");
    expect(
      await codeOf(admin().admin.users.create({ email: "not-an-email", name: "X", role: "ANNOTATOR" })),
    ).toBe("BAD_REQUEST");
  });

  it("resets a password: the new one works, the old one no longer does", async () => {
    const { user, password } = await admin().admin.users.create({
      email: "reset@cxr.local",
      name: "Reset Me",
      role: "ANNOTATOR",
    });
    const reset = await admin().admin.users.resetPassword({ userId: user.id });
    expect(reset.password).not.toBe(password);
    const row = await t.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await verifyPassword(row.passwordHash!, reset.password)).toBe(true);
    expect(await verifyPassword(row.passwordHash!, password)).toBe(false);
    expect((await audits(user.id)).map((a) => a.action)).toEqual(["user.created", "user.password_reset"]);
  });

  it("changes roles and deactivates, but never the last active admin", async () => {
    const only = t.users.admin.id;
    expect(await codeOf(admin().admin.users.setRole({ userId: only, role: "RADIOLOGIST" }))).toBe(
      "PRECONDITION_FAILED",
    );
    expect(await codeOf(admin().admin.users.setActive({ userId: only, active: false }))).toBe(
      "PRECONDITION_FAILED",
    );
    expect(await t.db.user.findUniqueOrThrow({ where: { id: only } })).toMatchObject({
      role: "ADMIN",
      active: true,
    });

    const { user: second } = await admin().admin.users.create({
      email: "second-admin@cxr.local",
      name: "Second Admin",
      role: "ANNOTATOR",
    });
    await admin().admin.users.setRole({ userId: second.id, role: "ADMIN" });
    // now there is another active admin: the second may be deactivated, and then reactivated
    expect(await admin().admin.users.setActive({ userId: second.id, active: false })).toMatchObject({
      active: false,
    });
    expect(await codeOf(admin().admin.users.setActive({ userId: only, active: false }))).toBe(
      "PRECONDITION_FAILED",
    );
    expect(await admin().admin.users.setActive({ userId: second.id, active: true })).toMatchObject({
      active: true,
    });
    expect((await audits(second.id)).map((a) => a.action)).toEqual([
      "user.created",
      "user.role_changed",
      "user.deactivated",
      "user.reactivated",
    ]);
    // a deactivated account's session is refused at once
    await admin().admin.users.setActive({ userId: second.id, active: false });
    const former = callerAs(t.db, sessionFor({ ...second, role: "ADMIN" }));
    expect(await codeOf(former.admin.users.list())).toBe("UNAUTHORIZED");
  });

  it("refuses every administration call to the other roles", async () => {
    for (const u of [t.users.radiologist, t.users.annotator]) {
      const caller = callerAs(t.db, sessionFor(u));
      expect(
        await codeOf(caller.admin.users.create({ email: "x@cxr.local", name: "X", role: "ADMIN" })),
      ).toBe("FORBIDDEN");
      expect(await codeOf(caller.admin.users.setRole({ userId: u.id, role: "ADMIN" }))).toBe("FORBIDDEN");
      expect(await codeOf(caller.admin.users.resetPassword({ userId: t.users.admin.id }))).toBe("FORBIDDEN");
    }
    expect(await t.db.user.count({ where: { email: "x@cxr.local" } })).toBe(0);
    expect(await t.db.user.findUniqueOrThrow({ where: { id: t.users.radiologist.id } })).toMatchObject({
      role: "RADIOLOGIST",
    });
  });
});

const classes = [
  { key: "clear", name: "Clear", color: "#22aa44", hotkey: "1" },
  { key: "consolidation", name: "Consolidation", color: "#dd8800", hotkey: "2" },
  { key: "effusion", name: "Effusion", color: "#3366cc", hotkey: "3" },
];

describe("label sets", () => {
  it("creates a set with classes, appends one, and refuses duplicate keys and hotkeys", async () => {
    const set = await admin().labelSets.create({ name: "pleura-3", classes });
    const added = await admin().labelSets.addClass({
      labelSetId: set.id,
      class: { key: "pneumothorax", name: "Pneumothorax", color: "#aa00aa", hotkey: "4" },
    });
    expect(added.index).toBe(3);
    expect(
      await codeOf(
        admin().labelSets.addClass({
          labelSetId: set.id,
          class: { key: "x", name: "X", color: "#000000", hotkey: "1" },
        }),
      ),
    ).toBe("BAD_REQUEST");
    // "r" draws a rectangle in the review workspace: no class may take it
    const taken = admin().labelSets.addClass({
      labelSetId: set.id,
      class: { key: "rib", name: "Rib", color: "#000000", hotkey: "r" },
    });
    await expect(taken).rejects.toThrow(/review workspace's own keys/);
    expect(await codeOf(admin().labelSets.create({ name: "dup", classes: [classes[0]!, classes[0]!] }))).toBe(
      "BAD_REQUEST",
    );
    expect(await codeOf(admin().labelSets.create({ name: "pleura-3", classes }))).toBe("CONFLICT");
    expect(await codeOf(admin().labelSets.create({ name: "Bad Name!", classes }))).toBe("BAD_REQUEST");
    const listed = (await admin().labelSets.list()).find((s) => s.id === set.id)!;
    expect(listed.classes.map((c) => [c.key, c.index, c.hotkey])).toEqual([
      ["clear", 0, "1"],
      ["consolidation", 1, "2"],
      ["effusion", 2, "3"],
      ["pneumothorax", 3, "4"],
    ]);
  });

  it("reorders the classes while no model uses the set, and refuses once one does", async () => {
    const set = await admin().labelSets.create({ name: "order-3", classes });
    const listed = (await admin().labelSets.list()).find((s) => s.id === set.id)!;
    const [a, b, c] = listed.classes.map((x) => x.id);
    await admin().labelSets.reorder({ labelSetId: set.id, classIds: [c!, a!, b!] });
    const after = (await admin().labelSets.list()).find((s) => s.id === set.id)!;
    expect(after.classes.map((x) => x.key)).toEqual(["effusion", "clear", "consolidation"]);
    expect(await codeOf(admin().labelSets.reorder({ labelSetId: set.id, classIds: [a!, b!] }))).toBe(
      "BAD_REQUEST",
    );
    // the demo set has the fixture's model: its order is the model's output order
    const demo = (await admin().labelSets.list()).find((s) => s.id === fx.labelSetId)!;
    const ids = demo.classes.map((x) => x.id).reverse();
    expect(await codeOf(admin().labelSets.reorder({ labelSetId: fx.labelSetId, classIds: ids }))).toBe(
      "PRECONDITION_FAILED",
    );
    expect((await audits(set.id)).map((x) => x.action)).toEqual(["label_set.created", "label_set.reordered"]);
  });

  it("retires a class: its history stays, the review case no longer offers it", async () => {
    const opacity = fx.classIds["lung-opacity"]!;
    await t.db.read.create({
      data: { imageId: fx.imageIds[0]!, labelSetId: fx.labelSetId, classId: opacity, source: "IMPORT" },
    });
    const before = await getCase(t.db, fx.imageIds[0]!, fx.modelVersionId);
    expect(before.classes.map((c) => c.key)).toContain("lung-opacity");

    await admin().labelSets.updateClass({ classId: opacity, retired: true, hotkey: "q" });
    const after = await getCase(t.db, fx.imageIds[0]!, fx.modelVersionId);
    expect(after.classes.map((c) => c.key)).toEqual(["normal", "pneumonia", "covid-19"]);
    // the prediction's probabilities still line up with the classes offered
    expect(after.prediction!.probabilities.map((p) => p.classId)).toEqual(after.classes.map((c) => c.id));
    expect(await t.db.read.count({ where: { classId: opacity } })).toBe(1);
    expect((await audits(opacity)).map((x) => x.action)).toEqual(["label_class.retired"]);

    await admin().labelSets.updateClass({ classId: opacity, retired: false });
    expect((await getCase(t.db, fx.imageIds[0]!, fx.modelVersionId)).classes).toHaveLength(4);
  });

  it("keeps at least two classes to pick from", async () => {
    const set = await admin().labelSets.create({ name: "two-only", classes: classes.slice(0, 2) });
    const [first] = (await admin().labelSets.list()).find((s) => s.id === set.id)!.classes;
    expect(await codeOf(admin().labelSets.updateClass({ classId: first!.id, retired: true }))).toBe(
      "PRECONDITION_FAILED",
    );
  });
});
