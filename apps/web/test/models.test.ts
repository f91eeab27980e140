// The Models pages' functions and procedures against real PostgreSQL and a real inference service (started as
// its own process over HTTP, as `npm start` runs it): who may view and change, the typed confirmation of a
// gate-failed promote, and the acting user recorded by the service.
import type { ModelStatus } from "@cxr/db";
import { createTestDatabase, type TestDatabase } from "@cxr/db/testing";
import { createInferenceClient } from "@cxr/inference-api/client";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { registerVersion } from "../e2e/model-fixtures";
import { promoteVersion } from "~/server/services/models/decide";
import { modelDetail } from "~/server/services/models/detail";
import { callerAs, seedUsers, sessionFor } from "./helpers";
import { startInferenceService, type StartedInference } from "./inference-service";

const TOKEN = "models-test-token-0123456789";
const PORT = 4561;
let t: TestDatabase;
let service: StartedInference | undefined;
let users: Awaited<ReturnType<typeof seedUsers>>;
let championId = "";
let candidateId = "";
let failedId = "";

const version = (status: ModelStatus, quality: number, gatePassed: boolean, tag: string, parentId?: string) =>
  registerVersion(t.db, { status, quality, gatePassed, tag, parentId });

beforeAll(async () => {
  t = await createTestDatabase(inject("testDatabaseAdminUrl"));
  users = await seedUsers(t.db);
  service = await startInferenceService({ port: PORT, token: TOKEN, databaseUrl: t.appUrl });
  championId = (await version("CHAMPION", 0.8, true, "champ")).id;
  candidateId = (await version("CANDIDATE", 0.85, true, "cand", championId)).id;
  failedId = (await version("CANDIDATE", 0.7, false, "weak", championId)).id;
});
afterAll(async () => {
  service?.stop();
  await t?.close();
});

const client = () => createInferenceClient({ url: service!.url, token: TOKEN });

describe("models pages", () => {
  it("lists versions per label set with status, parent, figures with CIs and the gate verdict", async () => {
    const sets = await callerAs(t.db, sessionFor(users.radiologist)).models.list();
    const set = sets.find((s) => s.labelSet === "cxr-4class");
    expect(set?.versions.map((v) => [v.version, v.status, v.parentVersion, v.gatePassed])).toEqual([
      [3, "CANDIDATE", 1, false],
      [2, "CANDIDATE", 1, true],
      [1, "CHAMPION", null, true],
    ]);
    expect(set?.versions[2]?.accuracy).toEqual({ value: 0.8, lower: 0.75, upper: 0.8400000000000001 });
    expect(set?.versions[1]?.data?.["covid-19"]?.CORRECTED).toEqual({ images: 5, patients: 4 });
  });

  it("gives a version's page its curves, lineage, labels since the parent and the champion it was compared with", async () => {
    const detail = await modelDetail(t.db, client(), candidateId);
    expect(detail.test?.roc?.["covid-19"]?.length).toBeGreaterThan(2);
    expect(detail.history).toHaveLength(3);
    expect(detail.lineage.map((p) => p.version)).toEqual([1]);
    expect(detail.comparedWith?.version).toBe(1);
    expect(detail.labelsSinceParent).toBe(0);
    expect(detail.checksum).toMatch(/^cand0+$/);
  });

  it("lets radiologists view but not change, and annotators neither", async () => {
    const radiologist = callerAs(t.db, sessionFor(users.radiologist));
    await expect(radiologist.models.get({ id: candidateId })).resolves.toMatchObject({ version: 2 });
    await expect(
      radiologist.models.reject({ id: candidateId, reason: "not good enough" }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(
      radiologist.models.promote({ id: candidateId, reason: "looks better" }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(radiologist.models.rollback({ id: championId, reason: "go back" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const annotator = callerAs(t.db, sessionFor(users.annotator));
    await expect(annotator.models.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerAs(t.db, null).models.list()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("refuses a reason too short and a gate-failed promote without the typed version, changing nothing", async () => {
    const admin = callerAs(t.db, sessionFor(users.admin));
    await expect(admin.models.reject({ id: candidateId, reason: "no" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(admin.models.promote({ id: failedId, reason: "we need it now" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("type v3"),
    });
    await expect(
      promoteVersion(client(), users.admin.id, { id: failedId, reason: "we need it", confirm: "v2" }),
    ).rejects.toThrow(/type v3/);
    const rows = await t.db.modelVersion.findMany({ orderBy: { version: "asc" }, select: { status: true } });
    expect(rows.map((r) => r.status)).toEqual(["CHAMPION", "CANDIDATE", "CANDIDATE"]);
  });

  it("rejects a candidate as the signed-in admin, who is recorded with the reason", async () => {
    const admin = callerAs(t.db, sessionFor(users.admin));
    await expect(admin.models.reject({ id: failedId, reason: "worse than the champion" })).resolves.toEqual({
      id: failedId,
      status: "REJECTED",
    });
    const audit = await t.db.auditEvent.findFirstOrThrow({
      where: { action: "model.rejected", entityId: failedId },
    });
    expect([audit.actorId, audit.reason]).toEqual([users.admin.id, "worse than the champion"]);
    // the service's own refusal comes back with its code: a rejected version cannot be rejected again
    await expect(admin.models.reject({ id: failedId, reason: "once more" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
  });
});
