import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { recordAudit } from "../src/audit";
import { createTestDatabase, type TestDatabase } from "../src/testing";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase(inject("testDatabaseAdminUrl"));
});
afterAll(() => t.close());

describe("audit events", () => {
  it("are appended and can be read back", async () => {
    await recordAudit(t.db, { action: "test.done", entityType: "Test", entityId: "1", after: { ok: true } });
    const events = await t.db.auditEvent.findMany({ where: { entityId: "1" } });
    expect(events).toHaveLength(1);
    expect(events[0]?.after).toEqual({ ok: true });
  });

  it("cannot be changed or deleted, even by a direct query", async () => {
    await recordAudit(t.db, { action: "test.kept", entityType: "Test", entityId: "2", reason: "original" });
    await expect(
      t.db.auditEvent.updateMany({ where: { entityId: "2" }, data: { reason: "forged" } }),
    ).rejects.toThrow(/append-only/);
    await expect(t.db.auditEvent.deleteMany({ where: { entityId: "2" } })).rejects.toThrow(/append-only/);
    await expect(t.db.$executeRawUnsafe(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/append-only/);
    const kept = await t.db.auditEvent.findFirst({ where: { entityId: "2" } });
    expect(kept?.reason).toBe("original");
  });
});
