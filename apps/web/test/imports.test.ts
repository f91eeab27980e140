// The imports page's functions and procedures: live progress of running jobs, dead jobs marked, reports of
// skipped items grouped by reason, and who may see them.
import os from "node:os";
import { createTestDatabase, type TestDatabase } from "@cxr/db/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  archiveSummary,
  importJobProblems,
  listImportJobs,
  redactSourceRef,
} from "~/server/services/imports";
import { callerAs, codeOf, seedUsers, sessionFor } from "./helpers";

let t: TestDatabase;
let users: Awaited<ReturnType<typeof seedUsers>>;
const now = new Date("2026-11-25T12:00:00Z");
const ids = { running: "", finished: "", dead: "" };

beforeAll(async () => {
  t = await createTestDatabase(inject("testDatabaseAdminUrl"));
  users = await seedUsers(t.db);
  const base = { fingerprint: "f", options: {} };
  const running = await t.db.importJob.create({
    data: {
      ...base,
      format: "kermany",
      sourceRef: "/data/chest_xray",
      total: 100,
      processed: 40,
      imported: 38,
      skipped: 2,
      startedAt: new Date(now.getTime() - 20_000),
      heartbeatAt: new Date(),
      // this very process: alive, so the job stays RUNNING
      workerId: `${os.hostname()}:${process.pid}`,
    },
  });
  const finished = await t.db.importJob.create({
    data: {
      ...base,
      format: "cohen",
      sourceRef: "/data/covid-chest-xray",
      status: "SUCCEEDED",
      total: 6,
      processed: 6,
      imported: 1,
      skipped: 4,
      failed: 1,
      startedAt: new Date(now.getTime() - 60_000),
      finishedAt: new Date(now.getTime() - 30_000),
    },
  });
  await t.db.importItem.createMany({
    data: [
      { jobId: finished.id, key: "images/a.png", status: "IMPORTED" },
      {
        jobId: finished.id,
        key: "images/b.png",
        status: "SKIPPED",
        reason: "MISSING_FILE",
        message: "no such file",
      },
      {
        jobId: finished.id,
        key: "images/c.png",
        status: "SKIPPED",
        reason: "MISSING_FILE",
        message: "no such file",
      },
      {
        jobId: finished.id,
        key: "images/d.png",
        status: "SKIPPED",
        reason: "UNREADABLE_IMAGE",
        message: "truncated",
      },
      {
        jobId: finished.id,
        key: "row 7",
        status: "SKIPPED",
        reason: "UNKNOWN_FINDING",
        message: "finding Lipoid",
      },
      { jobId: finished.id, key: "images/e.png", status: "FAILED", reason: "ERROR", message: "disk full" },
    ],
  });
  const dead = await t.db.importJob.create({
    data: {
      ...base,
      format: "dicomweb",
      sourceRef: "https://reader:secret@pacs.hospital.example/dicom-web",
      processed: 3,
      workerId: `${os.hostname()}:2147483646`, // no such process
    },
  });
  Object.assign(ids, { running: running.id, finished: finished.id, dead: dead.id });
});
afterAll(() => t.close());

describe("listImportJobs", () => {
  it("gives count, rate and ETA of a running job, marks a job whose process is gone, and hides credentials", async () => {
    const jobs = await listImportJobs(t.db, { now });
    const byId = Object.fromEntries(jobs.map((j) => [j.id, j]));
    expect(byId[ids.running]).toMatchObject({
      status: "RUNNING",
      processed: 40,
      total: 100,
      rate: 2,
      etaSeconds: 30,
    });
    expect(byId[ids.finished]).toMatchObject({ status: "SUCCEEDED", rate: 0.2, etaSeconds: 0 });
    expect(byId[ids.dead]).toMatchObject({
      status: "INTERRUPTED",
      sourceRef: "https://pacs.hospital.example/dicom-web",
      etaSeconds: null,
    });
    expect(jobs.map((j) => j.id)[0]).toBe(ids.dead); // newest first
    expect(JSON.stringify(jobs)).not.toContain("secret");
  });

  it("redactSourceRef keeps paths and credential-free URLs as they are", () => {
    expect(redactSourceRef("/data/x")).toBe("/data/x");
    expect(redactSourceRef("http://orthanc:8042/dicom-web")).toBe("http://orthanc:8042/dicom-web");
    expect(redactSourceRef("http://u:p@h/x")).toBe("http://h/x");
  });
});

describe("importJobProblems", () => {
  it("groups skipped and failed items by reason with examples", async () => {
    const problems = await importJobProblems(t.db, ids.finished);
    expect(problems.map((p) => [p.status, p.reason, p.count])).toEqual([
      ["SKIPPED", "MISSING_FILE", 2],
      ["SKIPPED", "UNREADABLE_IMAGE", 1],
      ["SKIPPED", "UNKNOWN_FINDING", 1],
      ["FAILED", "ERROR", 1],
    ]);
    expect(problems[0]?.examples).toEqual([
      { key: "images/b.png", message: "no such file" },
      { key: "images/c.png", message: "no such file" },
    ]);
    await expect(importJobProblems(t.db, "no-such-job")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("imports procedures", () => {
  it("serve ADMIN and RADIOLOGIST, refuse ANNOTATOR (FORBIDDEN) and signed-out callers (UNAUTHORIZED)", async () => {
    for (const user of [users.admin, users.radiologist]) {
      const caller = callerAs(t.db, sessionFor(user));
      expect((await caller.imports.list()).length).toBe(3);
      expect(await caller.imports.report({ jobId: ids.finished })).toHaveLength(4);
      expect(await caller.imports.summary()).toEqual({ images: 0, pending: 0, uploaded: 0, running: 1 });
    }
    const annotator = callerAs(t.db, sessionFor(users.annotator));
    expect(await codeOf(annotator.imports.list())).toBe("FORBIDDEN");
    expect(await codeOf(annotator.imports.report({ jobId: ids.finished }))).toBe("FORBIDDEN");
    expect(await codeOf(annotator.imports.summary())).toBe("FORBIDDEN");
    expect(await codeOf(callerAs(t.db, null).imports.list())).toBe("UNAUTHORIZED");
  });

  it("validates input and answers NOT_FOUND for an unknown job", async () => {
    const caller = callerAs(t.db, sessionFor(users.radiologist));
    expect(await codeOf(caller.imports.report({ jobId: "nope" }))).toBe("NOT_FOUND");
    expect(await codeOf(caller.imports.report({ jobId: "" }))).toBe("BAD_REQUEST");
    expect(await codeOf(caller.imports.list({ limit: 0 }))).toBe("BAD_REQUEST");
    expect(await caller.imports.list({ limit: 1 })).toHaveLength(1);
  });

  it("archiveSummary counts stored, waiting and uploaded images", async () => {
    expect(await archiveSummary(t.db)).toMatchObject({ images: 0, uploaded: 0 });
  });
});
