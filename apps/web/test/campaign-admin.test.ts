// Campaign administration over a real PostgreSQL: the selection's live count and filters, balanced assignment
// (each image to readsPerImage distinct readers, the load even), readers and images added to a running campaign,
// pause / resume / close, refusals of bad input that leave nothing behind, and progress per reader and image.
import { beforeAll, describe, expect, it } from "vitest";
import { type NewCampaignInput } from "~/lib/campaigns";
import { canVisit } from "~/lib/roles";
import { callerAs, codeOf, sessionFor, useSeededDatabase } from "./helpers";

const t = useSeededDatabase();
const admin = () => callerAs(t.db, sessionFor(t.users.admin));

let labelSetId: string;
let classIds: Record<string, string>;
let readers: string[];
/** 30 READY images: even ones PA, odd AP; the first 10 imported as pneumonia, predicted as COVID-19 */
let imageIds: string[];

beforeAll(async () => {
  const set = await t.db.labelSet.findUniqueOrThrow({
    where: { name: "cxr-4class" },
    include: { classes: { orderBy: { index: "asc" } } },
  });
  labelSetId = set.id;
  classIds = Object.fromEntries(set.classes.map((c) => [c.key, c.id]));
  const model = await t.db.modelVersion.create({
    data: {
      labelSetId,
      version: 90,
      name: "campaign-admin",
      architecture: "COMPACT_CNN",
      inputSize: 224,
      targetLayer: "conv4",
      storageUri: "memory://campaign-admin",
      checksum: "x",
      status: "CHAMPION",
    },
  });
  const patient = await t.db.patient.create({ data: { source: "SYNTHETIC", externalId: "campaign-admin" } });
  const study = await t.db.study.create({ data: { patientId: patient.id } });
  imageIds = [];
  for (let n = 0; n < 30; n++) {
    const image = await t.db.image.create({
      data: {
        studyId: study.id,
        source: "SYNTHETIC",
        modality: "DX",
        viewPosition: n % 2 ? "AP" : "PA",
        status: "READY",
        acquiredAt: new Date(Date.UTC(2020, 0, 1 + n)),
        originalSha256: `campaign-admin-${n}`,
        mimeType: "image/png",
        byteSize: 1,
      },
    });
    imageIds.push(image.id);
    const predicted = n < 10 ? "covid-19" : "normal";
    await t.db.prediction.create({
      data: {
        imageId: image.id,
        modelVersionId: model.id,
        probabilities: set.classes.map((c) => (c.key === predicted ? 0.7 : 0.1)),
        predictedClassId: classIds[predicted]!,
        confidence: 0.7,
        entropy: 0.9 + n / 100,
      },
    });
    if (n < 10)
      await t.db.read.create({
        data: { imageId: image.id, labelSetId, classId: classIds["pneumonia"]!, source: "IMPORT" },
      });
  }
  // one reviewed image
  await t.db.read.create({
    data: { imageId: imageIds[29]!, labelSetId, classId: classIds["normal"]!, source: "READER" },
  });
  const extra = await Promise.all(
    ["Reader Two", "Reader Three", "Reader Four"].map((name, i) =>
      t.db.user.create({
        data: { email: `reader${i + 2}@cxr.local`, name, role: i === 1 ? "ANNOTATOR" : "RADIOLOGIST" },
      }),
    ),
  );
  readers = [t.users.radiologist.id, t.users.annotator.id, ...extra.map((u) => u.id)];
});

const form = (over: Partial<NewCampaignInput> = {}): NewCampaignInput => ({
  name: `campaign ${Math.random().toString(36).slice(2, 8)}`,
  labelSetId,
  task: "CLASSIFY_ROI",
  readerIds: readers.slice(0, 3),
  adjudicatorIds: [t.users.radiologist.id],
  readsPerImage: 2,
  blinded: true,
  strategy: "ENTROPY",
  dueAt: null,
  consensusRule: "MAJORITY",
  iouThreshold: 0.5,
  selection: { limit: 100 },
  ...over,
});

async function loads(campaignId: string, status?: "PENDING") {
  const rows = await t.db.assignment.findMany({ where: { campaignId, ...(status ? { status } : {}) } });
  const perReader = new Map<string, number>();
  for (const r of rows) perReader.set(r.userId, (perReader.get(r.userId) ?? 0) + 1);
  const pairs = new Set(rows.map((r) => `${r.imageId}|${r.userId}`));
  return { rows, perReader, duplicates: rows.length - pairs.size };
}

describe("selection", () => {
  it("counts live, with each filter", async () => {
    const count = (selection: Record<string, unknown>) => admin().campaigns.count({ labelSetId, selection });
    expect(await count({})).toEqual({ matching: 30, taken: 30 });
    expect(await count({ limit: 12 })).toEqual({ matching: 30, taken: 12 });
    expect((await count({ viewPosition: "PA" })).matching).toBe(15);
    expect((await count({ modality: "CT" })).matching).toBe(0);
    expect((await count({ from: "2020-01-05", to: "2020-01-07" })).matching).toBe(3);
    // "pneumonia predicted as COVID-19"
    expect((await count({ importedClass: "pneumonia", predictedClass: "covid-19" })).matching).toBe(10);
    expect((await count({ predictedClass: "normal", viewPosition: "AP" })).matching).toBe(10);
    expect((await count({ reviewed: "reviewed" })).matching).toBe(1);
    expect((await count({ reviewed: "unreviewed" })).matching).toBe(29);
    expect((await count({ source: "DATASET_COHEN" })).matching).toBe(0);
    expect(await codeOf(count({ from: "2020-02-01", to: "2020-01-01" }))).toBe("BAD_REQUEST");
    expect(await codeOf(count({ importJobId: "no-such-job" }))).toBe("NOT_FOUND");
  });
});

describe("assignment balance", () => {
  it("gives 30 images x 2 reads over 3 readers 20 each, never one reader the same image twice", async () => {
    const created = await admin().campaigns.create(form({ name: "balance" }));
    expect(created).toMatchObject({ images: 30, assignments: 60 });
    const { rows, perReader, duplicates } = await loads(created.id);
    expect(rows).toHaveLength(60);
    expect(duplicates).toBe(0);
    expect([...perReader.values()]).toEqual([20, 20, 20]);
    for (const id of imageIds) expect(rows.filter((r) => r.imageId === id)).toHaveLength(2);
    const campaign = await t.db.campaign.findUniqueOrThrow({
      where: { id: created.id },
      include: { members: true },
    });
    expect(campaign).toMatchObject({
      status: "ACTIVE",
      blinded: true,
      readsPerImage: 2,
      task: "CLASSIFY_ROI",
    });
    expect(campaign.members.filter((m) => m.role === "READER")).toHaveLength(3);
    expect(campaign.members.filter((m) => m.role === "ADJUDICATOR")).toHaveLength(1);
    expect(await t.db.auditEvent.count({ where: { entityId: created.id, action: "campaign.created" } })).toBe(
      1,
    );
  });

  it("adds a reader midway: open work moves to them evenly, finished and started work stays", async () => {
    const { id } = await admin().campaigns.create(form({ name: "midway" }));
    // the first reader has finished 6 and opened 2 of their 20
    const first = await t.db.assignment.findMany({ where: { campaignId: id, userId: readers[0] }, take: 8 });
    await t.db.assignment.updateMany({
      where: { id: { in: first.slice(0, 6).map((a) => a.id) } },
      data: { status: "DONE" },
    });
    await t.db.assignment.updateMany({
      where: { id: { in: first.slice(6).map((a) => a.id) } },
      data: { status: "IN_PROGRESS" },
    });
    const result = await admin().campaigns.addReaders({ id, userIds: [readers[3]!] });
    expect(result).toMatchObject({ added: 1, created: 0 });
    const { rows, perReader, duplicates } = await loads(id);
    expect(rows).toHaveLength(60);
    expect(duplicates).toBe(0);
    // 54 open reads over 4 readers: 13 or 14 each (the first reader's 14 open and 6 done)
    const open = new Map<string, number>();
    for (const r of rows.filter((x) => x.status !== "DONE"))
      open.set(r.userId, (open.get(r.userId) ?? 0) + 1);
    expect([...open.values()].sort()).toEqual([13, 13, 14, 14]);
    expect(perReader.get(readers[3]!)).toBeGreaterThanOrEqual(13);
    // the done and started assignments are still the first reader's
    const kept = await t.db.assignment.findMany({ where: { id: { in: first.map((a) => a.id) } } });
    expect(kept.every((a) => a.userId === readers[0])).toBe(true);
    expect(await codeOf(admin().campaigns.addReaders({ id, userIds: [readers[3]!] }))).toBe("BAD_REQUEST");
  });

  it("adds adjudicators to a running campaign, audited; refuses an annotator and one who adjudicates already", async () => {
    const { id } = await admin().campaigns.create(form({ name: "more judges", selection: { limit: 2 } }));
    const image = await t.db.campaignImage.findFirstOrThrow({ where: { campaignId: id } });
    await t.db.adjudication.create({
      data: { campaignId: id, imageId: image.imageId, reason: "DISAGREEMENT" },
    });
    const newcomer = readers[2]!; // Reader Two, a radiologist
    const asNewcomer = callerAs(
      t.db,
      sessionFor(await t.db.user.findUniqueOrThrow({ where: { id: newcomer } })),
    );
    const queued = async () => (await asNewcomer.adjudication.queue({ campaignId: id })).length;
    expect(await queued()).toBe(0);
    expect(await admin().campaigns.addAdjudicators({ id, userIds: [newcomer] })).toEqual({
      added: 1,
      pending: 1,
    });
    // the waiting disagreement reaches the new adjudicator at once
    expect(await queued()).toBe(1);
    const judges = await t.db.campaignMember.findMany({ where: { campaignId: id, role: "ADJUDICATOR" } });
    expect(judges.map((m) => m.userId).sort()).toEqual([t.users.radiologist.id, newcomer].sort());
    expect(await codeOf(admin().campaigns.addAdjudicators({ id, userIds: [newcomer] }))).toBe("BAD_REQUEST");
    // Reader Three is an annotator: annotators do not adjudicate
    expect(await codeOf(admin().campaigns.addAdjudicators({ id, userIds: [readers[3]!] }))).toBe(
      "BAD_REQUEST",
    );
    const audit = await t.db.auditEvent.findMany({
      where: { entityId: id, action: "campaign.adjudicators_added" },
    });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorId).toBe(t.users.admin.id);
  });

  it("adds images from outside the campaign, balanced the same way", async () => {
    const { id } = await admin().campaigns.create(
      form({ name: "top-up", readerIds: readers.slice(0, 2), readsPerImage: 2, selection: { limit: 10 } }),
    );
    expect((await loads(id)).rows).toHaveLength(20);
    expect(await admin().campaigns.count({ labelSetId, selection: {}, campaignId: id })).toEqual({
      matching: 20,
      taken: 20,
    });
    const added = await admin().campaigns.addImages({ id, selection: { limit: 6 } });
    // the 6 oldest images outside the campaign, not the 10 already in it
    expect(added).toEqual({ images: 6, created: 12 });
    const { perReader, duplicates } = await loads(id);
    expect(duplicates).toBe(0);
    expect([...perReader.values()]).toEqual([16, 16]);
    expect(await t.db.campaignImage.count({ where: { campaignId: id } })).toBe(16);
  });

  it("reports progress per reader and per image", async () => {
    const { id } = await admin().campaigns.create(form({ name: "progress", selection: { limit: 3 } }));
    const one = await t.db.assignment.findFirstOrThrow({ where: { campaignId: id } });
    await t.db.assignment.update({ where: { id: one.id }, data: { status: "DONE" } });
    const detail = await admin().campaigns.get({ id });
    expect(detail.images).toBe(3);
    expect(detail.totals).toEqual({ PENDING: 5, IN_PROGRESS: 0, DONE: 1, SKIPPED: 0 });
    expect(detail.readers.map((r) => r.total)).toEqual([2, 2, 2]);
    expect(detail.readers.find((r) => r.userId === one.userId)!.DONE).toBe(1);
    expect(detail.imageProgress).toHaveLength(3);
    expect(detail.imageProgress.find((i) => i.imageId === one.imageId)).toMatchObject({ done: 1, reads: 2 });
    expect(detail.imagesComplete).toBe(0);
  });
});

describe("status and refusals", () => {
  it("pauses, resumes and closes, audited; a closed campaign stays closed", async () => {
    const { id } = await admin().campaigns.create(form({ name: "lifecycle", selection: { limit: 2 } }));
    expect(await codeOf(admin().campaigns.setStatus({ id, action: "resume" }))).toBe("PRECONDITION_FAILED");
    await admin().campaigns.setStatus({ id, action: "pause" });
    expect((await admin().campaigns.get({ id })).status).toBe("PAUSED");
    await admin().campaigns.setStatus({ id, action: "resume" });
    await admin().campaigns.setStatus({ id, action: "close" });
    const closed = await t.db.campaign.findUniqueOrThrow({ where: { id } });
    expect(closed.status).toBe("CLOSED");
    expect(closed.closedAt).not.toBeNull();
    expect(await codeOf(admin().campaigns.setStatus({ id, action: "resume" }))).toBe("PRECONDITION_FAILED");
    expect(await codeOf(admin().campaigns.addReaders({ id, userIds: [readers[4]!] }))).toBe(
      "PRECONDITION_FAILED",
    );
    const actions = await t.db.auditEvent.findMany({ where: { entityId: id }, orderBy: { id: "asc" } });
    expect(actions.map((a) => a.action)).toEqual([
      "campaign.created",
      "campaign.paused",
      "campaign.resumed",
      "campaign.closed",
    ]);
  });

  it("refuses bad input with a clear error and creates nothing", async () => {
    const before = await t.db.campaign.count();
    const bad: Partial<NewCampaignInput>[] = [
      { readsPerImage: 4 }, // 3 readers
      { readerIds: [t.users.admin.id] }, // an admin is not a reader
      { adjudicatorIds: [t.users.annotator.id] }, // nor an annotator an adjudicator
      { consensusRule: "ADJUDICATOR", adjudicatorIds: [] },
      { selection: { modality: "CT" } }, // matches nothing
      { labelSetId: "no-such-set" },
    ];
    const codes = [];
    for (const over of bad) codes.push(await codeOf(admin().campaigns.create(form(over))));
    expect(codes).toEqual([
      "BAD_REQUEST",
      "BAD_REQUEST",
      "BAD_REQUEST",
      "BAD_REQUEST",
      "BAD_REQUEST",
      "NOT_FOUND",
    ]);
    await admin().campaigns.create(form({ name: "taken", selection: { limit: 1 } }));
    expect(await codeOf(admin().campaigns.create(form({ name: "taken" })))).toBe("CONFLICT");
    expect(await t.db.campaign.count()).toBe(before + 1);
  });
});

describe("the campaigns section", () => {
  it("is for administrators only, though it is not in the navigation bar", () => {
    expect(canVisit("ADMIN", "/campaigns/new")).toBe(true);
    expect(canVisit("RADIOLOGIST", "/campaigns")).toBe(false);
    expect(canVisit("ANNOTATOR", "/campaigns/abc")).toBe(false);
  });
});
