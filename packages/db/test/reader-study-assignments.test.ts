import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  NOT_YET,
  availableNow,
  createReaderStudyAssignments,
  releaseSecondPhase,
} from "../src/reader-study-assignments";
import { demoUserTemplates, seed } from "../src/seed";
import { createTestDatabase, type TestDatabase } from "../src/testing";

let t: TestDatabase;
let labelSetId: string;
let imageIds: string[];
let readers: string[];
let adminId: string;

beforeAll(async () => {
  t = await createTestDatabase(inject("testDatabaseAdminUrl"));
  const db = t.db;
  const demoUsers = demoUserTemplates.map((u) => ({ ...u, password: `reader-study-${u.role}` }));
  await seed(db, demoUsers);
  labelSetId = (await db.labelSet.findUniqueOrThrow({ where: { name: "cxr-4class" } })).id;
  const users = await db.user.findMany({ orderBy: { email: "asc" } });
  adminId = users.find((u) => u.role === "ADMIN")!.id;
  readers = users.filter((u) => u.role !== "ADMIN").map((u) => u.id);
  const patient = await db.patient.create({ data: { source: "SYNTHETIC", externalId: "rs-test" } });
  const study = await db.study.create({ data: { patientId: patient.id } });
  imageIds = [];
  for (let n = 0; n < 4; n++)
    imageIds.push(
      (
        await db.image.create({
          data: {
            studyId: study.id,
            source: "SYNTHETIC",
            modality: "DX",
            originalSha256: `rs-sha-${n}`,
            mimeType: "image/png",
            byteSize: 1,
          },
        })
      ).id,
    );
}, 120_000);

afterAll(async () => {
  await t?.close();
});

async function campaign(name: string, washoutDays: number) {
  return t.db.campaign.create({
    data: {
      name,
      labelSetId,
      task: "CLASSIFY",
      readsPerImage: readers.length,
      blinded: false,
      strategy: "FIFO",
      mode: "READER_STUDY",
      washoutDays,
      createdById: adminId,
    },
  });
}

const offered = (campaignId: string, userId: string, now: Date) =>
  t.db.assignment.findMany({
    where: { campaignId, userId, status: { in: ["PENDING", "IN_PROGRESS"] }, ...availableNow(now) },
    select: { id: true, imageId: true, phase: true },
  });

describe("reader-study assignments", () => {
  it("sequential: every reader gets both phases of every case; the aided read waits for the washout", async () => {
    const c = await campaign("rs-sequential", 14);
    const { created } = await createReaderStudyAssignments(t.db, {
      campaignId: c.id,
      imageIds,
      userIds: readers,
      design: "SEQUENTIAL",
    });
    expect(created).toBe(readers.length * imageIds.length * 2);
    // idempotent: never the same case twice in one phase
    expect(
      (
        await createReaderStudyAssignments(t.db, {
          campaignId: c.id,
          imageIds,
          userIds: readers,
          design: "SEQUENTIAL",
        })
      ).created,
    ).toBe(0);

    const [reader] = readers;
    const now = new Date("2026-01-01T00:00:00Z");
    const first = await offered(c.id, reader!, now);
    expect(first.map((a) => a.phase)).toEqual(["UNAIDED", "UNAIDED", "UNAIDED", "UNAIDED"]);

    // the reader reads case 0 unaided: its aided read is released 14 days later, not before
    const unaided = first.find((a) => a.imageId === imageIds[0])!;
    await t.db.assignment.update({ where: { id: unaided.id }, data: { status: "DONE" } });
    const at = await releaseSecondPhase(
      t.db,
      { campaignId: c.id, imageId: imageIds[0]!, userId: reader!, phase: "UNAIDED" },
      now,
    );
    expect(at?.toISOString()).toBe("2026-01-15T00:00:00.000Z");
    const day13 = await offered(c.id, reader!, new Date("2026-01-14T00:00:00Z"));
    expect(day13.some((a) => a.phase === "AIDED")).toBe(false);
    const day14 = await offered(c.id, reader!, new Date("2026-01-15T00:00:00Z"));
    expect(day14.filter((a) => a.phase === "AIDED").map((a) => a.imageId)).toEqual([imageIds[0]]);
    // the other reader's aided read of that case still waits for their own unaided read
    const other = await t.db.assignment.findFirstOrThrow({
      where: { campaignId: c.id, userId: readers[1], imageId: imageIds[0], phase: "AIDED" },
    });
    expect(other.availableAt).toEqual(NOT_YET);
    // a second release changes nothing
    expect(
      await releaseSecondPhase(t.db, {
        campaignId: c.id,
        imageId: imageIds[0]!,
        userId: reader!,
        phase: "UNAIDED",
      }),
    ).toBeNull();
  });

  it("crossover: each reader reads half the cases aided first, a different half than the next reader", async () => {
    const c = await campaign("rs-crossover", 0);
    await createReaderStudyAssignments(t.db, {
      campaignId: c.id,
      imageIds,
      userIds: readers,
      design: "CROSSOVER",
    });
    const now = new Date();
    const aidedFirst = new Map<string, string[]>();
    for (const r of readers) {
      const open = await offered(c.id, r, now);
      // one phase per case offered at first, half of them aided
      expect(open).toHaveLength(imageIds.length);
      expect(new Set(open.map((a) => a.imageId)).size).toBe(imageIds.length);
      const aided = open.filter((a) => a.phase === "AIDED").map((a) => a.imageId);
      expect(aided).toHaveLength(imageIds.length / 2);
      aidedFirst.set(r, aided.sort());
    }
    expect(aidedFirst.get(readers[0]!)).not.toEqual(aidedFirst.get(readers[1]!));
    // every case is aided first for some reader and unaided first for another
    for (const id of imageIds)
      expect(readers.filter((r) => aidedFirst.get(r)!.includes(id)).length).toBeGreaterThan(0);
  });
});
