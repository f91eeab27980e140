// Campaign-driven queues against a real database: the reader's open assignments in their campaigns'
// order with the filters, someone else's assignment refused, blinding (nothing of the prediction leaves the
// server), and the assignment's progress (IN_PROGRESS when opened, DONE with the read, in one transaction).
import { beforeAll, describe, expect, it } from "vitest";
import { objectResponse } from "~/server/services/review/object-response";
import { activeCampaign } from "./campaign-assign";
import { callerAs, sessionFor, useReviewFixture, useSeededDatabase } from "./helpers";

const t = useSeededDatabase();
const fx = useReviewFixture(t, { count: 8, size: 32, tag: "campaign" });
/** fx.imageIds (most uncertain first) under short names */
let ids: string[];

beforeAll(() => {
  ids = fx.imageIds;
});

const rosa = () => callerAs(t.db, sessionFor(t.users.radiologist));
const ada = () => callerAs(t.db, sessionFor(t.users.admin));

async function campaign(
  name: string,
  strategy: "FIFO" | "ENTROPY",
  imageIds: string[],
  userId: string,
  blinded = false,
) {
  return activeCampaign(t, fx, { name, strategy, blinded }, imageIds, [userId]);
}

const assignmentOf = (campaignId: string, imageId: string) =>
  t.db.assignment.findFirstOrThrow({ where: { campaignId, imageId } });

const decision = (imageId: string, assignmentId: string | null, over: Record<string, unknown> = {}) => ({
  imageId,
  labelSetId: fx.labelSetId,
  baseReadId: null,
  classId: fx.classIds["pneumonia"]!,
  predictionId: null,
  assignmentId,
  durationMs: 900,
  ...over,
});

let entropyCampaign: { id: string };
let fifoCampaign: { id: string };

describe("campaign queue", () => {
  it("before any campaign, is every unreviewed image, most uncertain first", async () => {
    const q = await rosa().review.queue({ modelVersionId: fx.modelVersionId });
    expect(q.scope).toBe("unreviewed");
    expect(q.campaigns).toEqual([]);
    expect(q.entries.map((e) => e.imageId)).toEqual(ids);
    expect(q.entries.every((e) => e.assignmentId === null)).toBe(true);
  });

  it("lists the reader's open assignments by the campaign's priority, then the order assigned", async () => {
    // given out of order: ENTROPY puts the most uncertain first whatever the order of assignment
    entropyCampaign = await campaign(
      "Entropy reads",
      "ENTROPY",
      [ids[3]!, ids[0]!, ids[2]!],
      t.users.radiologist.id,
    );
    // FIFO: priority 0, the order assigned (here the reverse of uncertainty)
    fifoCampaign = await campaign("FIFO reads", "FIFO", [ids[5]!, ids[4]!], t.users.radiologist.id);
    // someone else's campaign is not in Rosa's queue
    await campaign("Ada's reads", "ENTROPY", [ids[1]!], t.users.admin.id);

    const q = await rosa().review.queue({});
    expect(q.scope).toBe("campaigns");
    expect(q.campaigns.map((c) => [c.name, c.open, c.strategy])).toEqual([
      ["Entropy reads", 3, "ENTROPY"],
      ["FIFO reads", 2, "FIFO"],
    ]);
    expect(q.entries.map((e) => e.imageId)).toEqual([ids[0], ids[2], ids[3], ids[5], ids[4]]);
    expect(q.entries[0]).toMatchObject({
      campaignName: "Entropy reads",
      blinded: false,
      predictedClassKey: expect.any(String),
    });
    expect(q.entries[0]?.modelLabel).toMatch(/^fixture-campaign v\d+$/);

    const fifo = await rosa().review.queue({ scope: "campaigns", campaignId: fifoCampaign.id });
    expect(fifo.entries.map((e) => e.imageId)).toEqual([ids[5], ids[4]]);
    expect(fifo.campaignId).toBe(fifoCampaign.id);

    // "Unassigned: all unreviewed" is still there
    const all = await rosa().review.queue({ scope: "unreviewed", modelVersionId: fx.modelVersionId });
    expect(all.entries.map((e) => e.imageId)).toEqual(ids);
    // a campaign that is not the reader's shows nothing
    const other = await t.db.campaign.findUniqueOrThrow({ where: { name: "Ada's reads" } });
    expect((await rosa().review.queue({ scope: "campaigns", campaignId: other.id })).entries).toEqual([]);
  });

  it("applies the filters to the campaign queue", async () => {
    const views = new Map(
      (
        await t.db.image.findMany({ where: { id: { in: ids } }, select: { id: true, viewPosition: true } })
      ).map((i) => [i.id, i.viewPosition]),
    );
    const pa = await rosa().review.queue({ viewPosition: "PA" });
    expect(pa.entries.length).toBeGreaterThan(0);
    expect(pa.entries.map((e) => e.imageId)).toEqual(
      [ids[0], ids[2], ids[3], ids[5], ids[4]].filter((id) => views.get(id!) === "PA"),
    );
    const all = await rosa().review.queue({});
    const key = all.entries[0]!.predictedClassKey!;
    const predicted = await rosa().review.queue({ predictedClassKey: key });
    expect(predicted.entries.length).toBeGreaterThan(0);
    expect(predicted.entries.every((e) => e.predictedClassKey === key)).toBe(true);
    expect(predicted.entries.map((e) => e.imageId)).toEqual(
      all.entries.filter((e) => e.predictedClassKey === key).map((e) => e.imageId),
    );
    expect((await rosa().review.queue({ modality: "CT" })).entries).toEqual([]);
  });
});

describe("assignments", () => {
  it("refuses someone else's assignment: FORBIDDEN to open, start or decide it", async () => {
    const other = await t.db.campaign.findUniqueOrThrow({ where: { name: "Ada's reads" } });
    const theirs = await assignmentOf(other.id, ids[1]!);
    await expect(rosa().review.case({ imageId: ids[1]!, assignmentId: theirs.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(rosa().review.startAssignment({ assignmentId: theirs.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(rosa().review.submit(decision(ids[1]!, theirs.id))).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringMatching(/assigned to another reader/),
    });
    expect(await t.db.read.count({ where: { imageId: ids[1]!, source: "READER" } })).toBe(0);
    expect((await t.db.assignment.findUniqueOrThrow({ where: { id: theirs.id } })).status).toBe("PENDING");
    // nor an assignment for another image
    const mine = await assignmentOf(entropyCampaign.id, ids[0]!);
    await expect(rosa().review.submit(decision(ids[1]!, mine.id))).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("is IN_PROGRESS once opened and DONE with the read, in the read's transaction", async () => {
    const imageId = ids[0]!;
    const a = await assignmentOf(entropyCampaign.id, imageId);
    const started = await rosa().review.startAssignment({ assignmentId: a.id });
    expect(started.status).toBe("IN_PROGRESS");
    expect(started.startedAt).toBeInstanceOf(Date);
    // opening again does not restart the clock
    expect((await rosa().review.startAssignment({ assignmentId: a.id })).startedAt).toEqual(
      started.startedAt,
    );

    const view = await rosa().review.case({ imageId, modelVersionId: fx.modelVersionId });
    expect(view.assignment).toMatchObject({ id: a.id, status: "IN_PROGRESS", campaignName: "Entropy reads" });
    expect(view.head).toBeNull();

    // a decision the server refuses leaves the assignment as it was (one transaction)
    const other = await t.db.labelClass.findFirstOrThrow({ where: { labelSet: { name: "covid-binary" } } });
    await expect(rosa().review.submit(decision(imageId, a.id, { classId: other.id }))).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    expect((await t.db.assignment.findUniqueOrThrow({ where: { id: a.id } })).status).toBe("IN_PROGRESS");

    const { readId } = await rosa().review.submit(
      decision(imageId, a.id, { predictionId: view.prediction!.id }),
    );
    const read = await t.db.read.findUniqueOrThrow({ where: { id: readId } });
    expect(read).toMatchObject({
      campaignId: entropyCampaign.id,
      assignmentId: a.id,
      predictionId: view.prediction!.id,
      readerId: t.users.radiologist.id,
    });
    const done = await t.db.assignment.findUniqueOrThrow({ where: { id: a.id } });
    expect(done).toMatchObject({ status: "DONE", startedAt: started.startedAt });
    expect(done.completedAt).toBeInstanceOf(Date);
    const audit = await t.db.auditEvent.findFirstOrThrow({
      where: { entityType: "Assignment", entityId: a.id },
    });
    expect(audit).toMatchObject({ action: "assignment.completed", after: { status: "DONE", readId } });

    // the same assignment twice (another window): a conflict, not a second read
    await expect(rosa().review.submit(decision(imageId, a.id))).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await t.db.read.count({ where: { assignmentId: a.id } })).toBe(1);
    const q = await rosa().review.queue({});
    expect(q.entries.map((e) => e.imageId)).not.toContain(imageId);
    expect(q.campaigns.find((c) => c.id === entropyCampaign.id)?.open).toBe(2);
  });

  it("blinds a blinded campaign's reader: no prediction, probabilities or heat map leave the server", async () => {
    const imageId = ids[6]!;
    const blinded = await campaign("Blinded reads", "ENTROPY", [imageId], t.users.radiologist.id, true);
    const prediction = await t.db.prediction.findUniqueOrThrow({
      where: { imageId_modelVersionId: { imageId, modelVersionId: fx.modelVersionId } },
      include: { gradCamMaps: true },
    });

    const q = await rosa().review.queue({ scope: "campaigns", campaignId: blinded.id });
    expect(q.entries).toHaveLength(1);
    expect(q.entries[0]).toMatchObject({
      imageId,
      blinded: true,
      predictionId: null,
      predictedClassKey: null,
      predictedClassName: null,
      confidence: null,
      entropy: null,
      modelLabel: null,
    });
    // a filter on the prediction cannot pick blinded cases (that would tell what the model said)
    const all = await rosa().review.queue({ predictedClassKey: "normal" });
    expect(all.entries.map((e) => e.imageId)).not.toContain(imageId);
    // nor does the unassigned queue show the reader's blinded case with its prediction
    const unassigned = await rosa().review.queue({ scope: "unreviewed", modelVersionId: fx.modelVersionId });
    expect(unassigned.entries.map((e) => e.imageId)).not.toContain(imageId);
    // (earlier tests' queues leased cases to Rosa; leases are review-leases.test.ts's subject, not this one's)
    await t.db.reviewLease.deleteMany();
    expect(
      (await ada().review.queue({ scope: "unreviewed", modelVersionId: fx.modelVersionId })).entries.map(
        (e) => e.imageId,
      ),
    ).toContain(imageId);

    // the case, even asked for with the model named: no prediction in any form
    const view = await rosa().review.case({ imageId, modelVersionId: fx.modelVersionId });
    expect(view.blinded).toBe(true);
    expect(view.prediction).toBeNull();
    expect(view.assignment?.campaignName).toBe("Blinded reads");
    const sent = JSON.stringify(view);
    expect(sent).not.toContain(prediction.id);
    for (const map of prediction.gradCamMaps) expect(sent).not.toContain(map.id);
    expect(sent).not.toContain(String(prediction.confidence));
    // Ada, not in the campaign, sees it as usual
    expect((await ada().review.case({ imageId, modelVersionId: fx.modelVersionId })).prediction?.id).toBe(
      prediction.id,
    );
    // and the heat map's bytes are refused to the blinded reader
    const map = prediction.gradCamMaps[0]!;
    const mapStatusFor = async (user: Parameters<typeof sessionFor>[0]) =>
      (
        await objectResponse(
          { type: "gradcam", mapId: map.id },
          { db: t.db, storage: fx.storage, session: sessionFor(user) },
        )
      ).status;
    expect(await mapStatusFor(t.users.radiologist)).toBe(403);
    expect(await mapStatusFor(t.users.admin)).toBe(200);

    // the read records no prediction, even if a client sends one
    const a = await assignmentOf(blinded.id, imageId);
    const { readId } = await rosa().review.submit(decision(imageId, a.id, { predictionId: prediction.id }));
    expect((await t.db.read.findUniqueOrThrow({ where: { id: readId } })).predictionId).toBeNull();
    expect((await t.db.assignment.findUniqueOrThrow({ where: { id: a.id } })).status).toBe("DONE");
    // once decided, the heat map may be seen
    expect(await mapStatusFor(t.users.radiologist)).toBe(200);
  });

  it("goes back to every unreviewed image when the reader's campaigns are paused", async () => {
    await t.db.campaign.updateMany({ data: { status: "PAUSED" } });
    const q = await rosa().review.queue({ modelVersionId: fx.modelVersionId });
    expect(q.scope).toBe("unreviewed");
    expect(q.campaigns).toEqual([]);
    // a paused campaign's assignment cannot be decided
    const a = await assignmentOf(fifoCampaign.id, ids[5]!);
    await expect(rosa().review.submit(decision(ids[5]!, a.id))).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/not active/),
    });
  });

  it("shows the data set's lesion outlines for reference, but not to a blinded reader", async () => {
    const imageId = ids[7]!;
    const imported = await t.db.read.create({
      data: { imageId, labelSetId: fx.labelSetId, classId: fx.classIds["pneumonia"]!, source: "IMPORT" },
    });
    const points = [
      [0.2, 0.2],
      [0.4, 0.2],
      [0.3, 0.5],
    ];
    await t.db.annotation.create({
      data: { imageId, readId: imported.id, classId: imported.classId, shape: "POLYGON", points },
    });
    await t.db.annotation.create({
      data: { imageId, readId: imported.id, shape: "POLYGON", points, deletedAt: new Date() },
    });
    const view = await ada().review.case({ imageId, modelVersionId: fx.modelVersionId });
    expect(view.sourceRois).toEqual([
      expect.objectContaining({ shape: "POLYGON", points, classId: imported.classId }),
    ]);
    // they are the data set's, not the reader's: the read being edited starts without them
    expect(view.annotations).toEqual([]);
    // a blinded reader would see where the lesion is: no outlines
    await activeCampaign(
      t,
      fx,
      { name: "Blinded outlines", strategy: "FIFO", blinded: true },
      [imageId],
      [t.users.radiologist.id],
    );
    const blindView = await rosa().review.case({ imageId, modelVersionId: fx.modelVersionId });
    expect(blindView.blinded).toBe(true);
    expect(blindView.sourceRois).toEqual([]);
  });

  it("one rule: blinded on an image through one campaign, blinded through every other way to it", async () => {
    // ids[7]: imported label and outlines (test above), and Rosa's open assignment in "Blinded outlines"
    const imageId = ids[7]!;
    const blind = await t.db.campaign.findUniqueOrThrow({ where: { name: "Blinded outlines" } });
    const open = await campaign("Open reads", "FIFO", [imageId], t.users.radiologist.id);
    const openAssignment = await assignmentOf(open.id, imageId);
    const prediction = await t.db.prediction.findUniqueOrThrow({
      where: { imageId_modelVersionId: { imageId, modelVersionId: fx.modelVersionId } },
      include: { gradCamMaps: true, predictedClass: true },
    });
    const heatMap = (session: ReturnType<typeof sessionFor>) =>
      objectResponse(
        { type: "gradcam", mapId: prediction.gradCamMaps[0]!.id },
        { db: t.db, storage: fx.storage, session },
      );
    const expectBlind = async (view: Awaited<ReturnType<ReturnType<typeof rosa>["review"]["case"]>>) => {
      expect(view.blinded).toBe(true);
      expect(view.prediction).toBeNull();
      expect(view.importedClassId).toBeNull();
      expect(view.sourceRois).toEqual([]);
      const sent = JSON.stringify(view);
      expect(sent).not.toContain(prediction.id);
      for (const map of prediction.gradCamMaps) expect(sent).not.toContain(map.id);
    };

    // opened through the non-blinded assignment, with the model named, or through no assignment at all
    await expectBlind(
      await rosa().review.case({
        imageId,
        assignmentId: openAssignment.id,
        modelVersionId: fx.modelVersionId,
      }),
    );
    await expectBlind(await rosa().review.case({ imageId }));
    expect((await heatMap(sessionFor(t.users.radiologist))).status).toBe(403);

    // the non-blinded campaign's queue entry carries no prediction either
    const q = await rosa().review.queue({ scope: "campaigns", campaignId: open.id });
    expect(q.entries).toEqual([
      expect.objectContaining({ imageId, blinded: true, predictionId: null, predictedClassKey: null }),
    ]);
    // and neither the imported label nor the prediction can pick it, in either queue
    for (const scope of ["campaigns", "unreviewed"] as const) {
      for (const filter of [
        { trueClassKey: "pneumonia" },
        { predictedClassKey: prediction.predictedClass.key },
        { pneumoniaAsCovid: true },
      ]) {
        const found = await rosa().review.queue({ scope, modelVersionId: fx.modelVersionId, ...filter });
        expect(found.entries.map((e) => e.imageId)).not.toContain(imageId);
      }
    }
    await t.db.reviewLease.deleteMany(); // (as above: only blinding is tested here)
    // Ada, not blinded, finds it by its imported label and sees that label
    const adaQueue = await ada().review.queue({ scope: "unreviewed", trueClassKey: "pneumonia" });
    expect(adaQueue.entries.map((e) => e.imageId)).toContain(imageId);
    expect((await ada().review.case({ imageId })).importedClassId).toBe(fx.classIds["pneumonia"]);

    // a paused blinded campaign still blinds: pausing must not open a window to peek
    await t.db.campaign.update({ where: { id: blind.id }, data: { status: "PAUSED" } });
    await expectBlind(await rosa().review.case({ imageId, assignmentId: openAssignment.id }));
    expect((await heatMap(sessionFor(t.users.radiologist))).status).toBe(403);
    await t.db.campaign.update({ where: { id: blind.id }, data: { status: "ACTIVE" } });

    // a decision through the non-blinded assignment while blinded records no prediction
    const blindAssignment = await assignmentOf(blind.id, imageId);
    const { readId } = await rosa().review.submit(
      decision(imageId, openAssignment.id, { predictionId: prediction.id }),
    );
    expect((await t.db.read.findUniqueOrThrow({ where: { id: readId } })).predictionId).toBeNull();

    // once the blinded assignment is decided, the model output is there again
    await rosa().review.submit(decision(imageId, blindAssignment.id));
    const seen = await rosa().review.case({ imageId, modelVersionId: fx.modelVersionId });
    expect(seen.blinded).toBe(false);
    expect(seen.prediction?.id).toBe(prediction.id);
    expect(seen.importedClassId).toBe(fx.classIds["pneumonia"]);
    expect(seen.sourceRois).toHaveLength(1);
    expect((await heatMap(sessionFor(t.users.radiologist))).status).toBe(200);
  });
});
