// Leases of the unassigned queue (leases.ts) and the stored columns the queue's index relies on, on a real
// database: two readers are never served the same case, a submit or skip or expiry frees it, a direct link
// still opens a leased case and says who holds it, campaigns asking for several reads are not blocked, and the
// app's least-privilege role can do all of it (the new table's grants come from the default privileges).
import { createDb, type Db } from "@cxr/db";
import { createAssignments } from "@cxr/db/assignments";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { claimLeases } from "~/server/services/review/leases";
import { listQueue } from "~/server/services/review/queue";
import { callerAs, sessionFor, useReviewFixture, useSeededDatabase } from "./helpers";
import { createReviewFixture } from "./review-fixtures";

const t = useSeededDatabase();
const fx = useReviewFixture(t, { count: 8, size: 32, tag: "lease" });
let app: Db;
beforeAll(() => {
  // the services' own role, as the app connects: every lease operation below runs with its grants
  app = createDb(t.appUrl, { max: 4 });
});

afterAll(async () => {
  await app?.$disconnect();
});

beforeEach(async () => {
  await t.db.reviewLease.deleteMany();
});

const rosa = () => callerAs(app, sessionFor(t.users.radiologist));
const ada = () => callerAs(app, sessionFor(t.users.admin));
const queue = (limit: number) => ({ scope: "unreviewed" as const, modelVersionId: fx.modelVersionId, limit });
const ids = (q: { entries: { imageId: string }[] }) => q.entries.map((e) => e.imageId);
const draft = () => ({
  version: 1 as const,
  baseReadId: null,
  classId: fx.classIds["normal"]!,
  notDiagnostic: false,
  secondOpinion: false,
  comment: "",
  rois: [],
  elapsedMs: 100,
  savedAt: Date.now(),
});

describe("leases", () => {
  it("serves a case to one reader only, and frees it on skip and on expiry", async () => {
    const mine = ids(await rosa().review.queue(queue(3)));
    expect(mine).toEqual(fx.imageIds.slice(0, 3));
    // the same call again renews Rosa's own leases: she keeps her page
    expect(ids(await rosa().review.queue(queue(3)))).toEqual(mine);
    const theirs = ids(await ada().review.queue(queue(3)));
    expect(theirs).toEqual(fx.imageIds.slice(3, 6));

    // Rosa skips her first case: it is Ada's to be served again
    expect(await rosa().review.release({ imageId: mine[0]! })).toEqual({ released: true });
    expect(ids(await ada().review.queue(queue(4)))).toContain(mine[0]);
    // an annotator (who works from campaign assignments, never this queue) cannot free a reader's case: nothing is
    // released and it stays Rosa's; bad input is refused with a clear error
    expect(await callerAs(app, sessionFor(t.users.annotator)).review.release({ imageId: mine[1]! })).toEqual({
      released: false,
    });
    expect(ids(await ada().review.queue(queue(6)))).not.toContain(mine[1]);
    await expect(callerAs(app, null).review.release({ imageId: mine[1]! })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    await expect(rosa().review.release({ imageId: "" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // releasing another reader's lease does nothing
    expect(await rosa().review.release({ imageId: theirs[0]! })).toEqual({ released: false });

    // an expired lease is anybody's
    await t.db.reviewLease.updateMany({
      where: { readerId: t.users.admin.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(ids(await rosa().review.queue(queue(8)))).toEqual(expect.arrayContaining(theirs));
  });

  it("never serves one case to two readers asking at the same moment", async () => {
    const [a, b] = await Promise.all([
      listQueue(app, queue(5), t.users.radiologist.id),
      listQueue(app, queue(5), t.users.admin.id),
    ]);
    const overlap = ids(a).filter((id) => ids(b).includes(id));
    expect(overlap).toEqual([]);
    expect(ids(a).length + ids(b).length).toBe(fx.imageIds.length);
    const rows = await t.db.reviewLease.findMany();
    expect(rows).toHaveLength(fx.imageIds.length);
  });

  it("opening a case takes its lease; a direct link to another's case shows it and says who holds it", async () => {
    const [imageId] = ids(await rosa().review.queue(queue(1)));
    const opened = await rosa().review.case({ imageId: imageId! });
    expect(opened.lease).toMatchObject({ mine: true, holderId: t.users.radiologist.id });

    const byLink = await ada().review.case({ imageId: imageId! });
    expect(byLink.image.id).toBe(imageId);
    expect(byLink.lease).toMatchObject({
      mine: false,
      holderId: t.users.radiologist.id,
      holderName: t.users.radiologist.name,
    });
    // Ada's look did not take it over
    const row = await t.db.reviewLease.findUniqueOrThrow({ where: { imageId: imageId! } });
    expect(row.readerId).toBe(t.users.radiologist.id);

    // a free case opened by a link becomes the opener's
    const free = fx.imageIds[7]!;
    expect((await ada().review.case({ imageId: free })).lease).toMatchObject({ mine: true });
  });

  it("a draft autosave renews the reader's lease; the submit releases it", async () => {
    const [imageId] = ids(await rosa().review.queue(queue(1)));
    await t.db.reviewLease.update({
      where: { imageId: imageId! },
      data: { expiresAt: new Date(Date.now() + 5_000) },
    });
    await rosa().review.saveDraft({
      imageId: imageId!,
      draft: draft(),
    });
    const renewed = await t.db.reviewLease.findUniqueOrThrow({ where: { imageId: imageId! } });
    expect(renewed.expiresAt.getTime()).toBeGreaterThan(Date.now() + 60_000);

    // Ada's autosave on Rosa's case does not take it
    await ada().review.saveDraft({
      imageId: imageId!,
      draft: draft(),
    });
    expect((await t.db.reviewLease.findUniqueOrThrow({ where: { imageId: imageId! } })).readerId).toBe(
      t.users.radiologist.id,
    );

    await rosa().review.submit({
      imageId: imageId!,
      labelSetId: fx.labelSetId,
      baseReadId: null,
      classId: fx.classIds["normal"]!,
      predictionId: null,
      durationMs: 500,
    });
    expect(await t.db.reviewLease.count({ where: { imageId: imageId! } })).toBe(0);
    // and the trigger marked its predictions reviewed: it left every queue
    expect(
      await t.db.prediction.findMany({ where: { imageId: imageId! }, select: { reviewed: true } }),
    ).toEqual([{ reviewed: true }]);
    expect(ids(await ada().review.queue(queue(8)))).not.toContain(imageId);
  });

  it("does not block a campaign that asks several readers for the same image", async () => {
    const imageId = fx.imageIds[6]!;
    const c = await t.db.campaign.create({
      data: {
        name: "two reads",
        readsPerImage: 2,
        labelSetId: fx.labelSetId,
        strategy: "FIFO",
        status: "ACTIVE",
        modelVersionId: fx.modelVersionId,
        createdById: t.users.admin.id,
      },
    });
    await createAssignments(t.db, {
      campaignId: c.id,
      imageIds: [imageId],
      userIds: [t.users.radiologist.id, t.users.admin.id],
    });
    // Rosa holds an unassigned-queue lease on it; Ada's campaign queue still has it
    expect(await claimLeases(app, t.users.radiologist.id, [imageId])).toEqual(new Set([imageId]));
    const adaCampaign = await ada().review.queue({ scope: "campaigns", campaignId: c.id });
    expect(ids(adaCampaign)).toEqual([imageId]);
    // and a campaign case opened takes no lease (its assignment is its reader's own)
    expect((await ada().review.case({ imageId })).lease).toBeNull();
    await t.db.campaign.update({ where: { id: c.id }, data: { status: "CLOSED" } });
  });
});

describe("stored queue columns", () => {
  it("queueDate follows the acquisition date, else the study's date, else the import date", async () => {
    const image = await t.db.image.findUniqueOrThrow({ where: { id: fx.imageIds[5]! } });
    await t.db.image.update({ where: { id: image.id }, data: { acquiredAt: null } });
    const study = await t.db.study.findUniqueOrThrow({ where: { id: image.studyId } });
    await t.db.study.update({ where: { id: study.id }, data: { studyDate: null } });
    const date = async () => (await t.db.image.findUniqueOrThrow({ where: { id: image.id } })).queueDate;
    expect(await date()).toEqual(image.createdAt);
    const studied = new Date("2024-03-01T00:00:00Z");
    await t.db.study.update({ where: { id: study.id }, data: { studyDate: studied } });
    expect(await date()).toEqual(studied);
    const acquired = new Date("2024-02-01T00:00:00Z");
    await app.image.update({ where: { id: image.id }, data: { acquiredAt: acquired } });
    expect(await date()).toEqual(acquired);
    const q = await listQueue(app, { ...queue(8), from: acquired, to: acquired });
    expect(ids(q)).toEqual([image.id]);
  });

  it("a reader's read marks the image's predictions reviewed, a new prediction of it is born reviewed", async () => {
    const imageId = fx.imageIds[4]!;
    const reviewed = async () =>
      (await t.db.prediction.findMany({ where: { imageId }, select: { reviewed: true } })).map(
        (p) => p.reviewed,
      );
    expect(await reviewed()).toEqual([false]);
    const read = await app.read.create({
      data: {
        imageId,
        labelSetId: fx.labelSetId,
        classId: fx.classIds["normal"]!,
        source: "READER",
        readerId: t.users.admin.id,
      },
    });
    expect(await reviewed()).toEqual([true]);
    // a prediction of another model, made after the read
    const other = await createReviewFixture(t.db, fx.storage, {
      count: 1,
      size: 32,
      tag: "lease-2",
    });
    const template = await t.db.prediction.findFirstOrThrow({ where: { imageId } });
    const born = await t.db.prediction.create({
      data: {
        imageId,
        modelVersionId: other.modelVersionId,
        probabilities: template.probabilities,
        predictedClassId: template.predictedClassId,
        confidence: template.confidence,
        entropy: template.entropy,
      },
    });
    expect(born.reviewed).toBe(true);
    // an import's read is not a review
    await t.db.read.delete({ where: { id: read.id } });
    expect(await reviewed()).toEqual([false, false]);
  });
});
