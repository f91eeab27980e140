// Campaign reading end to end on a real database: annotators in the review API for their own assignments only
// (blinded: no prediction, imported label or consensus), the campaign's task type on submit, the consensus rules
// (majority, unanimity, adjudicator; ROIs below the IoU threshold; second opinion) applied by the read that
// completes an image, in its transaction, the adjudicator's decision, and the agreement figures and CSV.
import { createAssignments } from "@cxr/db/assignments";
import { createDb, type ConsensusRule } from "@cxr/db";
import { describe, expect, it } from "vitest";
import { taskCampaigns } from "~/server/services/review/tasks";
import { callerAs, codeOf, sessionFor, useReviewFixture, useSeededDatabase } from "./helpers";

const t = useSeededDatabase();
const fx = useReviewFixture(t, { count: 12, size: 32, tag: "campread" });

const rosa = () => callerAs(t.db, sessionFor(t.users.radiologist));
const anna = () => callerAs(t.db, sessionFor(t.users.annotator));
const ada = () => callerAs(t.db, sessionFor(t.users.admin));

let n = 0;
async function campaign(
  imageIds: string[],
  over: {
    consensusRule?: ConsensusRule;
    task?: "CLASSIFY" | "CLASSIFY_ROI" | "ROI_ONLY";
    blinded?: boolean;
  } = {},
) {
  const c = await t.db.campaign.create({
    data: {
      name: `campread ${++n}`,
      labelSetId: fx.labelSetId,
      status: "ACTIVE",
      readsPerImage: 2,
      blinded: over.blinded ?? true,
      task: over.task ?? "CLASSIFY_ROI",
      consensusRule: over.consensusRule ?? "MAJORITY",
      iouThreshold: 0.5,
      modelVersionId: fx.modelVersionId,
      createdById: t.users.admin.id,
    },
  });
  await t.db.campaignMember.createMany({
    data: [
      { campaignId: c.id, userId: t.users.radiologist.id, role: "READER" },
      { campaignId: c.id, userId: t.users.annotator.id, role: "READER" },
      { campaignId: c.id, userId: t.users.radiologist.id, role: "ADJUDICATOR" },
    ],
  });
  await createAssignments(t.db, {
    campaignId: c.id,
    imageIds,
    userIds: [t.users.radiologist.id, t.users.annotator.id],
  });
  return c;
}

const box = (x0: number, x1: number, classId: string | null) => ({
  shape: "RECTANGLE" as const,
  classId,
  points: [
    [x0, 0.2],
    [x1, 0.6],
  ] as [number, number][],
});

async function read(
  who: typeof rosa,
  userId: string,
  campaignId: string,
  imageId: string,
  classKey: string,
  over: Record<string, unknown> = {},
) {
  const a = await t.db.assignment.findFirstOrThrow({ where: { campaignId, imageId, userId } });
  return who().review.submit({
    imageId,
    labelSetId: fx.labelSetId,
    baseReadId: null,
    classId: fx.classIds[classKey]!,
    predictionId: null,
    assignmentId: a.id,
    durationMs: 1000,
    ...over,
  });
}
const both = async (
  c: { id: string },
  imageId: string,
  rosaKey: string,
  annaKey: string,
  annaOver = {},
  rosaOver = {},
) => {
  await read(rosa, t.users.radiologist.id, c.id, imageId, rosaKey, rosaOver);
  await read(anna, t.users.annotator.id, c.id, imageId, annaKey, annaOver);
};
const consensusOf = (imageId: string) =>
  t.db.consensus.findUnique({ where: { imageId_labelSetId: { imageId, labelSetId: fx.labelSetId } } });
const adjudicationOf = (campaignId: string, imageId: string) =>
  t.db.adjudication.findUnique({ where: { campaignId_imageId: { campaignId, imageId } } });

describe("annotators in the review workspace", () => {
  it("open only their assigned images, blinded, and submit only through an assignment", async () => {
    const [mine, other] = [fx.imageIds[0]!, fx.imageIds[1]!];
    const c = await campaign([mine]);
    // the /tasks page's list: this campaign, one open task, blinded
    expect(await taskCampaigns(t.db, t.users.annotator.id)).toEqual([
      expect.objectContaining({ id: c.id, open: 1, done: 0, blinded: true, task: "CLASSIFY_ROI" }),
    ]);
    const q = await anna().review.queue({ scope: "unreviewed" });
    // the unassigned archive is never an annotator's queue
    expect(q.scope).toBe("campaigns");
    expect(q.entries.map((e) => e.imageId)).toEqual([mine]);
    expect(q.entries[0]).toMatchObject({ blinded: true, predictionId: null, predictedClassKey: null });

    const view = await anna().review.case({ imageId: mine, assignmentId: q.entries[0]!.assignmentId! });
    expect(view.blinded).toBe(true);
    expect(view.prediction).toBeNull();
    expect(view.importedClassId).toBeNull();
    expect(view.sourceRois).toEqual([]);
    expect(view.assignment?.task).toBe("CLASSIFY_ROI");

    expect(await codeOf(anna().review.case({ imageId: other }))).toBe("FORBIDDEN");
    expect(await codeOf(anna().review.draft({ imageId: other }))).toBe("FORBIDDEN");
    const outside = {
      imageId: other,
      labelSetId: fx.labelSetId,
      baseReadId: null,
      classId: fx.classIds["normal"]!,
      predictionId: null,
      durationMs: 1,
    };
    expect(await codeOf(anna().review.submit(outside))).toBe("FORBIDDEN");
    // even on their own image, a read outside the assignment (the archive's decision) is refused
    expect(await codeOf(anna().review.submit({ ...outside, imageId: mine }))).toBe("FORBIDDEN");
    expect(await t.db.read.count({ where: { readerId: t.users.annotator.id } })).toBe(0);
    await t.db.campaign.update({ where: { id: c.id }, data: { status: "CLOSED" } });
  });

  it("follow the campaign's task: CLASSIFY takes no ROIs, ROI_ONLY needs a label on each", async () => {
    const [a, b] = [fx.imageIds[2]!, fx.imageIds[3]!];
    const classify = await campaign([a], { task: "CLASSIFY" });
    const err = read(anna, t.users.annotator.id, classify.id, a, "normal", { rois: [box(0.1, 0.4, null)] });
    expect(await codeOf(err)).toBe("BAD_REQUEST");
    const roiOnly = await campaign([b], { task: "ROI_ONLY" });
    const unlabelled = read(anna, t.users.annotator.id, roiOnly.id, b, "pneumonia", {
      rois: [box(0.1, 0.4, null)],
    });
    expect(await codeOf(unlabelled)).toBe("BAD_REQUEST");
    // nothing was stored by the refused submits
    expect(await t.db.read.count({ where: { campaignId: { in: [classify.id, roiOnly.id] } } })).toBe(0);
    await read(anna, t.users.annotator.id, roiOnly.id, b, "pneumonia", {
      rois: [box(0.1, 0.4, fx.classIds["pneumonia"]!)],
    });
    expect(await t.db.annotation.count({ where: { read: { campaignId: roiOnly.id } } })).toBe(1);
  });
});

describe("consensus rules", () => {
  it("MAJORITY: two agreeing reads make a UNANIMOUS consensus when the image's last read lands", async () => {
    const img = fx.imageIds[4]!;
    const c = await campaign([img]);
    await read(rosa, t.users.radiologist.id, c.id, img, "covid-19");
    // one read of two: nothing settled yet
    expect(await consensusOf(img)).toBeNull();
    await read(anna, t.users.annotator.id, c.id, img, "covid-19");
    expect(await consensusOf(img)).toMatchObject({
      classId: fx.classIds["covid-19"],
      method: "UNANIMOUS",
      agreement: 1,
      readCount: 2,
      campaignId: c.id,
      decidedById: null,
    });
    expect(await adjudicationOf(c.id, img)).toBeNull();
  });

  it("MAJORITY with two readers who disagree (no strict majority) goes to adjudication", async () => {
    const img = fx.imageIds[5]!;
    const c = await campaign([img]);
    await both(c, img, "covid-19", "pneumonia");
    expect(await consensusOf(img)).toBeNull();
    expect(await adjudicationOf(c.id, img)).toMatchObject({ status: "PENDING", reason: "DISAGREEMENT" });
  });

  it("UNANIMITY: agreeing labels whose ROIs overlap below the IoU threshold disagree", async () => {
    const img = fx.imageIds[6]!;
    const c = await campaign([img], { consensusRule: "UNANIMITY" });
    const p = fx.classIds["pneumonia"]!;
    // boxes 0.1-0.4 and 0.3-0.6: IoU = 0.1 / 0.5 = 0.2 < 0.5
    await both(c, img, "pneumonia", "pneumonia", { rois: [box(0.3, 0.6, p)] }, { rois: [box(0.1, 0.4, p)] });
    expect(await adjudicationOf(c.id, img)).toMatchObject({ reason: "DISAGREEMENT" });
    expect(await consensusOf(img)).toBeNull();
  });

  it("UNANIMITY: overlapping ROIs (IoU above the threshold) and the same label agree", async () => {
    const img = fx.imageIds[7]!;
    const c = await campaign([img], { consensusRule: "UNANIMITY" });
    const p = fx.classIds["pneumonia"]!;
    // 0.1-0.5 and 0.15-0.5: IoU 0.875
    await both(c, img, "pneumonia", "pneumonia", { rois: [box(0.15, 0.5, p)] }, { rois: [box(0.1, 0.5, p)] });
    expect(await consensusOf(img)).toMatchObject({ method: "UNANIMOUS", classId: p });
  });

  it("ADJUDICATOR: every image goes to an adjudicator; a second opinion does too (SECOND_OPINION)", async () => {
    const [x, y] = [fx.imageIds[8]!, fx.imageIds[9]!];
    const c = await campaign([x]);
    await t.db.campaign.update({ where: { id: c.id }, data: { consensusRule: "ADJUDICATOR" } });
    await both(c, x, "normal", "normal");
    expect(await adjudicationOf(c.id, x)).toMatchObject({ reason: "RULE" });
    const d = await campaign([y]);
    await both(d, y, "normal", "normal", { secondOpinion: true });
    expect(await adjudicationOf(d.id, y)).toMatchObject({ reason: "SECOND_OPINION" });
    expect(await consensusOf(y)).toBeNull();
  });
});

describe("adjudication", () => {
  it("shows the reads side by side to the campaign's adjudicator, who decides: Consensus ADJUDICATED, audited", async () => {
    const img = fx.imageIds[10]!;
    const c = await campaign([img]);
    const p = fx.classIds["pneumonia"]!;
    await both(c, img, "covid-19", "pneumonia", { rois: [box(0.2, 0.5, p)] });
    const queue = await rosa().adjudication.queue({ campaignId: c.id });
    expect(queue.map((q) => q.imageId)).toEqual([img]);
    const item = await rosa().adjudication.get({ id: queue[0]!.id });
    expect(item.reads.map((r) => [r.readerName, r.classId, r.rois.length])).toEqual([
      [t.users.radiologist.name, fx.classIds["covid-19"], 0],
      [t.users.annotator.name, p, 1],
    ]);
    expect(new Set(item.reads.map((r) => r.colour)).size).toBe(2);
    // an annotator is no adjudicator; a rationale is required
    expect(await codeOf(anna().adjudication.get({ id: item.id }))).toBe("FORBIDDEN");
    expect(
      await codeOf(rosa().adjudication.decide({ adjudicationId: item.id, classId: p, rationale: "" })),
    ).toBe("BAD_REQUEST");
    await rosa().adjudication.decide({
      adjudicationId: item.id,
      classId: p,
      rationale: "Lobar consolidation.",
    });
    expect(await consensusOf(img)).toMatchObject({
      method: "ADJUDICATED",
      classId: p,
      agreement: 0.5,
      decidedById: t.users.radiologist.id,
      rationale: "Lobar consolidation.",
    });
    expect(await adjudicationOf(c.id, img)).toMatchObject({
      status: "DECIDED",
      decidedById: t.users.radiologist.id,
    });
    expect(
      await t.db.auditEvent.count({ where: { action: "adjudication.decided", entityId: item.id } }),
    ).toBe(1);
    // decided once: a second decision is a conflict
    expect(
      await codeOf(ada().adjudication.decide({ adjudicationId: item.id, classId: p, rationale: "again" })),
    ).toBe("CONFLICT");
    expect(await rosa().adjudication.queue({ campaignId: c.id })).toEqual([]);
    // the review screen shows the consensus (to a reader not blinded on the image)
    const view = await ada().review.case({ imageId: img });
    expect(view.consensus).toMatchObject({
      classId: p,
      method: "ADJUDICATED",
      decidedByName: t.users.radiologist.name,
    });
  });
});

describe("agreement", () => {
  it("computes kappa, reader vs consensus / model, ROI overlap and the most disagreeing images; CSV", async () => {
    const imgs = [fx.imageIds[11]!, fx.imageIds[0]!, fx.imageIds[1]!];
    const c = await campaign(imgs);
    await both(c, imgs[0]!, "covid-19", "covid-19");
    await both(c, imgs[1]!, "normal", "normal");
    await both(c, imgs[2]!, "normal", "pneumonia");
    const a = await ada().campaigns.agreement({ campaignId: c.id });
    expect(a.imagesRead).toBe(3);
    expect(a.pairs).toHaveLength(1);
    // by hand: po 2/3; marginals rosa {covid 1, normal 2}, anna {covid 1, normal 1, pneumonia 1}
    // pe = (1*1 + 2*1) / 9 = 1/3 -> kappa = (2/3 - 1/3) / (2/3) = 0.5
    expect(a.pairs[0]!.kappa!.kappa).toBeCloseTo(0.5, 10);
    expect(a.fleiss?.n).toBe(3);
    expect(a.disagreements.map((d) => d.imageId)).toEqual([imgs[2]]);
    expect(a.disagreements[0]).toMatchObject({ pendingAdjudication: true, consensus: null });
    const rosaVsConsensus = a.perReader.find((r) => r.reader === t.users.radiologist.name)!.vsConsensus!;
    expect(rosaVsConsensus.n).toBe(2);
    expect(rosaVsConsensus.accuracy).toBe(1);
    const { csv, filename } = await ada().campaigns.agreementCsv({ campaignId: c.id });
    expect(filename).toMatch(/^agreement-campread_\d+\.csv$/);
    expect(csv.split("\r\n")[0]).toBe(
      "section,subject,other,class,n,kappa,ci_lower,ci_upper,sensitivity,specificity,iou,dice",
    );
    // the pair's row: both names (alphabetical), all classes, 3 images, kappa 0.5, CI cut at 1
    expect(csv).toContain(`cohen,${t.users.annotator.name},${t.users.radiologist.name},all,3,0.5,-0.3002,1,`);
  });
});

describe("as the services' least-privilege role (cxr_app)", () => {
  it("may write the adjudication and consensus rows: the new tables got their grants", async () => {
    const app = createDb(t.appUrl, { max: 2 });
    try {
      const img = fx.imageIds[2]!;
      const c = await campaign([img]);
      const as = (u: typeof t.users.radiologist) => () => callerAs(app, sessionFor(u));
      await read(as(t.users.radiologist), t.users.radiologist.id, c.id, img, "normal");
      await read(as(t.users.annotator), t.users.annotator.id, c.id, img, "covid-19");
      const [item] = await as(t.users.radiologist)().adjudication.queue({ campaignId: c.id });
      await as(t.users.radiologist)().adjudication.decide({
        adjudicationId: item!.id,
        classId: fx.classIds["normal"]!,
        rationale: "No opacity.",
      });
      expect(await consensusOf(img)).toMatchObject({ method: "ADJUDICATED", campaignId: c.id });
    } finally {
      await app.$disconnect();
    }
  });
});
