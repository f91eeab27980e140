// Server drafts, brush strokes and the study-date filter against a real database: a draft saved, loaded and
// kept when newer, deleted with the decision; a brush stroke's width from draft to Annotation.strokeWidth
// and back; the date filter on the acquisition or study date.
import { describe, expect, it } from "vitest";
import { type Draft } from "~/lib/review/draft";
import { getCase } from "~/server/services/review/case";
import { listQueue } from "~/server/services/review/queue";
import { callerAs, sessionFor, useReviewFixture, useSeededDatabase } from "./helpers";

const t = useSeededDatabase();
const fx = useReviewFixture(t, { count: 6, size: 32, tag: "drafts" });

const rosa = () => callerAs(t.db, sessionFor(t.users.radiologist));

const brush = {
  id: "roi-brush",
  shape: "BRUSH" as const,
  classId: null,
  points: [
    [0.1, 0.5],
    [0.3, 0.52],
    [0.5, 0.5],
  ] as [number, number][],
  strokeWidth: 0.0625,
};

const draft = (over: Partial<Draft> = {}): Draft => ({
  version: 1,
  baseReadId: null,
  classId: fx.classIds["covid-19"]!,
  notDiagnostic: false,
  secondOpinion: true,
  comment: "left base",
  rois: [brush],
  elapsedMs: 4200,
  savedAt: 1_000_000,
  ...over,
});

describe("server drafts", () => {
  it("saves and loads the reader's own draft of a case", async () => {
    const imageId = fx.imageIds[0]!;
    expect(await rosa().review.draft({ imageId })).toBeNull();
    expect(await rosa().review.saveDraft({ imageId, draft: draft() })).toEqual({
      stored: true,
      savedAt: 1_000_000,
    });
    const loaded = await rosa().review.draft({ imageId });
    expect(loaded?.draft).toEqual(draft());
    expect(loaded?.updatedAt).toBeInstanceOf(Date);
    // another reader's drafts are their own
    expect(await callerAs(t.db, sessionFor(t.users.admin)).review.draft({ imageId })).toBeNull();
  });

  it("keeps the newer copy: a late, older save does not replace a newer one", async () => {
    const imageId = fx.imageIds[0]!;
    await rosa().review.saveDraft({ imageId, draft: draft({ comment: "newer", savedAt: 2_000_000 }) });
    expect(
      await rosa().review.saveDraft({ imageId, draft: draft({ comment: "older", savedAt: 1_500_000 }) }),
    ).toEqual({
      stored: false,
      savedAt: 2_000_000,
    });
    expect((await rosa().review.draft({ imageId }))?.draft.comment).toBe("newer");
    expect(await t.db.reviewDraft.count({ where: { imageId } })).toBe(1);
  });

  it("refuses what is not a draft, an unknown case, and other roles", async () => {
    const imageId = fx.imageIds[0]!;
    await expect(
      rosa().review.saveDraft({ imageId, draft: { ...draft(), rois: [{ ...brush, points: [[2, 2]] }] } }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(rosa().review.saveDraft({ imageId: "no-such-image", draft: draft() })).rejects.toMatchObject(
      {
        code: "NOT_FOUND",
      },
    );
    await expect(
      callerAs(t.db, sessionFor(t.users.annotator)).review.saveDraft({ imageId, draft: draft() }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerAs(t.db, null).review.draft({ imageId })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    await expect(callerAs(t.db, null).review.saveDraft({ imageId, draft: draft() })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
  });

  it("is deleted by the submit, in the decision's transaction (kept when the submit is refused)", async () => {
    const imageId = fx.imageIds[1]!;
    await rosa().review.saveDraft({ imageId, draft: draft() });
    await callerAs(t.db, sessionFor(t.users.admin)).review.submit({
      imageId,
      labelSetId: fx.labelSetId,
      baseReadId: null,
      classId: fx.classIds["normal"]!,
      predictionId: null,
      durationMs: 10,
    });
    // Rosa's base is stale now: a conflict, and her draft stays
    const stale = {
      imageId,
      labelSetId: fx.labelSetId,
      baseReadId: null,
      classId: fx.classIds["covid-19"]!,
      predictionId: null,
      durationMs: 10,
    };
    await expect(rosa().review.submit(stale)).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await rosa().review.draft({ imageId })).not.toBeNull();
    const head = (await getCase(t.db, imageId, fx.modelVersionId)).head!;
    await rosa().review.submit({ ...stale, baseReadId: head.id });
    expect(await rosa().review.draft({ imageId })).toBeNull();
    expect(await t.db.reviewDraft.count({ where: { imageId, userId: t.users.radiologist.id } })).toBe(0);
  });

  it("can be deleted by its reader", async () => {
    const imageId = fx.imageIds[2]!;
    await rosa().review.saveDraft({ imageId, draft: draft() });
    expect(await rosa().review.deleteDraft({ imageId })).toEqual({ deleted: true });
    expect(await rosa().review.draft({ imageId })).toBeNull();
  });
});

describe("brush strokes", () => {
  it("keep their width from the draft to Annotation.strokeWidth, the audit and the reopened case", async () => {
    const imageId = fx.imageIds[3]!;
    await rosa().review.saveDraft({ imageId, draft: draft({ savedAt: 3_000_000 }) });
    // reload: the draft comes back from the server with the width
    const restored = (await rosa().review.draft({ imageId }))!.draft;
    expect(restored.rois[0]).toEqual(brush);
    const { readId } = await rosa().review.submit({
      imageId,
      labelSetId: fx.labelSetId,
      baseReadId: restored.baseReadId,
      classId: restored.classId!,
      predictionId: null,
      secondOpinion: restored.secondOpinion,
      comment: restored.comment,
      durationMs: restored.elapsedMs,
      rois: restored.rois.map(({ shape, classId, points, strokeWidth }) => ({
        shape,
        classId,
        points,
        strokeWidth: strokeWidth ?? null,
      })),
    });
    const stored = await t.db.annotation.findFirstOrThrow({ where: { readId } });
    expect(stored).toMatchObject({ shape: "BRUSH", strokeWidth: 0.0625, points: brush.points });
    const created = await t.db.auditEvent.findFirstOrThrow({
      where: { action: "annotation.created", entityId: stored.id },
    });
    expect(created.after).toMatchObject({ shape: "BRUSH", strokeWidth: 0.0625 });
    const view = await rosa().review.case({ imageId, modelVersionId: fx.modelVersionId });
    expect(view.annotations).toEqual([
      { id: stored.id, shape: "BRUSH", classId: null, points: brush.points, strokeWidth: 0.0625 },
    ]);
    expect(await rosa().review.draft({ imageId })).toBeNull();

    // a correction removes it: the audit's "before" keeps the width
    await rosa().review.submit({
      imageId,
      labelSetId: fx.labelSetId,
      baseReadId: readId,
      classId: fx.classIds["normal"]!,
      predictionId: null,
      durationMs: 5,
    });
    const deleted = await t.db.auditEvent.findFirstOrThrow({
      where: { action: "annotation.deleted", entityId: stored.id },
    });
    expect(deleted.before).toMatchObject({ shape: "BRUSH", strokeWidth: 0.0625 });
  });

  it("refuse a stroke without a width and a width on a box", async () => {
    const base = {
      imageId: fx.imageIds[4]!,
      labelSetId: fx.labelSetId,
      baseReadId: null,
      classId: fx.classIds["normal"]!,
      predictionId: null,
      durationMs: 5,
    };
    await expect(
      rosa().review.submit({ ...base, rois: [{ shape: "BRUSH", classId: null, points: brush.points }] }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      rosa().review.submit({
        ...base,
        rois: [
          {
            shape: "RECTANGLE",
            classId: null,
            points: [
              [0.1, 0.1],
              [0.2, 0.2],
            ],
            strokeWidth: 0.1,
          },
        ],
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await t.db.read.count({ where: { imageId: base.imageId } })).toBe(0);
  });
});

describe("date filter", () => {
  it("filters on the acquisition or study date, and on the import date only when neither is known", async () => {
    // three studies of one patient: acquired in March 2020 (study dated 2019), only a study date in March
    // 2020, and no date at all (imported today)
    const [acquired, studied, undated] = [fx.imageIds[2]!, fx.imageIds[4]!, fx.imageIds[5]!];
    const image = await t.db.image.findUniqueOrThrow({
      where: { id: acquired },
      include: { study: true },
    });
    const study = (studyDate: Date | null) =>
      t.db.study.create({ data: { patientId: image.study.patientId, studyDate } });
    const s2019 = await study(new Date("2019-01-05T00:00:00Z"));
    const s2020 = await study(new Date("2020-03-10T00:00:00Z"));
    const sNone = await study(null);
    await t.db.image.update({
      where: { id: acquired },
      data: { studyId: s2019.id, acquiredAt: new Date("2020-03-01T10:00:00Z") },
    });
    await t.db.image.update({ where: { id: studied }, data: { studyId: s2020.id } });
    await t.db.image.update({ where: { id: undated }, data: { studyId: sNone.id } });
    const others = fx.imageIds.filter((id) => ![acquired, studied, undated].includes(id));
    await t.db.image.updateMany({
      where: { id: { in: others } },
      data: { acquiredAt: new Date("2018-06-01T00:00:00Z") },
    });

    const march = await listQueue(t.db, {
      modelVersionId: fx.modelVersionId,
      from: new Date("2020-03-01T00:00:00Z"),
      to: new Date("2020-03-31T23:59:59Z"),
    });
    expect(march.entries.map((e) => e.imageId).sort()).toEqual([acquired, studied].sort());
    expect(march.entries.find((e) => e.imageId === acquired)).toMatchObject({
      studyDateSource: "acquisition",
    });
    expect(march.entries.find((e) => e.imageId === studied)).toMatchObject({ studyDateSource: "study" });

    // 2019 is the acquired image's study date, but its acquisition date is what counts
    const in2019 = await listQueue(t.db, {
      modelVersionId: fx.modelVersionId,
      from: new Date("2019-01-01T00:00:00Z"),
      to: new Date("2019-12-31T23:59:59Z"),
    });
    expect(in2019.entries).toEqual([]);

    // today: every image was imported today, but only the undated one is filtered on that
    const today = await listQueue(t.db, {
      modelVersionId: fx.modelVersionId,
      from: new Date(Date.now() - 86_400_000),
      to: new Date(Date.now() + 86_400_000),
    });
    expect(today.entries.map((e) => e.imageId)).toEqual([undated]);
    expect(today.entries[0]).toMatchObject({ studyDateSource: "import" });
  });
});
