// The review workspace's functions against a real database: queue order and filters, decisions and
// corrections, conflicts on a stale base, audit events, object access, and who may call what.
import { TRPCError } from "@trpc/server";
import { DomainError } from "@cxr/domain";
import { describe, expect, it } from "vitest";
import { getCase } from "~/server/services/review/case";
import { submitDecision } from "~/server/services/review/decision";
import { objectResponse } from "~/server/services/review/object-response";
import { listQueue } from "~/server/services/review/queue";
import { callerAs, sessionFor, useReviewFixture, useSeededDatabase } from "./helpers";

const t = useSeededDatabase();
const fx = useReviewFixture(t, { count: 6, size: 32, tag: "unit" });

const decision = (imageId: string, over: Partial<Parameters<typeof submitDecision>[2]> = {}) => ({
  imageId,
  labelSetId: fx.labelSetId,
  baseReadId: null,
  classId: fx.classIds["pneumonia"]!,
  predictionId: null,
  durationMs: 1234,
  ...over,
});

describe("queue", () => {
  it("puts the most uncertain prediction first and names the model version", async () => {
    const q = await listQueue(t.db, { modelVersionId: fx.modelVersionId });
    expect(q.entries.map((e) => e.imageId)).toEqual(fx.imageIds);
    const entropies = q.entries.map((e) => e.entropy ?? 0);
    expect([...entropies].sort((a, b) => b - a)).toEqual(entropies);
    expect(q.entries[0]?.modelLabel).toMatch(/^fixture-unit v\d+$/);
  });

  it("filters by predicted class and view", async () => {
    const q = await listQueue(t.db, {
      modelVersionId: fx.modelVersionId,
      predictedClassKey: "normal",
      viewPosition: "PA",
    });
    expect(q.entries.length).toBeGreaterThan(0);
    expect(q.entries.every((e) => e.predictedClassKey === "normal" && e.viewPosition === "PA")).toBe(true);
  });
});

describe("decisions", () => {
  it("records a decision with its audit event and ROIs, and takes the case off the queue", async () => {
    const imageId = fx.imageIds[0]!;
    const actor = { id: t.users.radiologist.id, role: t.users.radiologist.role };
    const { readId } = await submitDecision(
      t.db,
      actor,
      decision(imageId, {
        notDiagnostic: true,
        comment: "  patchy  ",
        rois: [
          {
            shape: "RECTANGLE",
            classId: fx.classIds["pneumonia"]!,
            points: [
              [0.1, 0.1],
              [0.4, 0.5],
            ],
          },
          {
            shape: "POLYGON",
            classId: null,
            points: [
              [0.5, 0.5],
              [0.7, 0.5],
              [0.6, 0.8],
            ],
          },
          {
            shape: "FREEHAND",
            classId: null,
            points: [
              [0.2, 0.6],
              [0.25, 0.62],
              [0.3, 0.7],
              [0.22, 0.72],
            ],
          },
        ],
      }),
    );
    const read = await t.db.read.findUniqueOrThrow({ where: { id: readId } });
    expect(read).toMatchObject({
      notDiagnostic: true,
      notes: "patchy",
      durationMs: 1234,
      readerId: actor.id,
    });
    const events = await t.db.auditEvent.findMany({ where: { actorId: actor.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["read.created", ...Array(3).fill("annotation.created")]);
    expect(events[0]?.after).toMatchObject({ readId, classId: fx.classIds["pneumonia"] });
    const q = await listQueue(t.db, { modelVersionId: fx.modelVersionId });
    expect(q.entries.map((e) => e.imageId)).not.toContain(imageId);

    const view = await getCase(t.db, imageId, fx.modelVersionId);
    expect(view.head?.id).toBe(readId);
    expect(view.annotations).toHaveLength(3);
    expect(view.prediction?.model.label).toMatch(/^fixture-unit v/);
  });

  it("a correction supersedes the read in force, replaces its ROIs and audits before and after", async () => {
    const imageId = fx.imageIds[0]!;
    const actor = { id: t.users.admin.id, role: t.users.admin.role };
    const head = (await getCase(t.db, imageId, fx.modelVersionId)).head!;
    const { readId } = await submitDecision(
      t.db,
      actor,
      decision(imageId, { baseReadId: head.id, classId: fx.classIds["covid-19"]! }),
    );
    expect((await t.db.read.findUniqueOrThrow({ where: { id: readId } })).supersedesId).toBe(head.id);
    const events = await t.db.auditEvent.findMany({ where: { actorId: actor.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["read.corrected", ...Array(3).fill("annotation.deleted")]);
    expect(events[0]?.before).toMatchObject({ readId: head.id, classId: fx.classIds["pneumonia"] });
    expect(events[0]?.after).toMatchObject({ readId, classId: fx.classIds["covid-19"] });
    expect((await getCase(t.db, imageId, fx.modelVersionId)).annotations).toHaveLength(0);
  });

  it("refuses a decision made on a stale base with a clear CONFLICT", async () => {
    const imageId = fx.imageIds[1]!;
    const rosa = { id: t.users.radiologist.id, role: t.users.radiologist.role };
    await submitDecision(t.db, rosa, decision(imageId));
    // a second reader opened the case before the first decision: their base is still "no read"
    const caller = callerAs(t.db, sessionFor(t.users.admin));
    const error = await caller.review.submit(decision(imageId)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("CONFLICT");
    expect((error as TRPCError).message).toMatch(/Rosa Radiologist submitted a decision on this case/);
  });

  it("lets only one of two simultaneous decisions on the same base through", async () => {
    const imageId = fx.imageIds[2]!;
    const results = await Promise.allSettled([
      submitDecision(t.db, { id: t.users.radiologist.id, role: "RADIOLOGIST" }, decision(imageId)),
      submitDecision(t.db, { id: t.users.admin.id, role: "ADMIN" }, decision(imageId)),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected");
    expect((rejected as PromiseRejectedResult).reason).toBeInstanceOf(DomainError);
  });

  it("refuses a polygon of two points and a box of three", async () => {
    const actor = { id: t.users.radiologist.id, role: "RADIOLOGIST" as const };
    const two: [number, number][] = [
      [0.1, 0.1],
      [0.2, 0.2],
    ];
    await expect(
      submitDecision(
        t.db,
        actor,
        decision(fx.imageIds[3]!, { rois: [{ shape: "POLYGON", classId: null, points: two }] }),
      ),
    ).rejects.toThrow(/three points/);
    await expect(
      submitDecision(
        t.db,
        actor,
        decision(fx.imageIds[3]!, {
          rois: [{ shape: "ELLIPSE", classId: null, points: [...two, [0.3, 0.3]] }],
        }),
      ),
    ).rejects.toThrow(/two corners/);
  });

  it("refuses classes from another label set", async () => {
    const other = await t.db.labelClass.findFirstOrThrow({ where: { labelSet: { name: "covid-binary" } } });
    await expect(
      submitDecision(
        t.db,
        { id: t.users.radiologist.id, role: "RADIOLOGIST" },
        decision(fx.imageIds[3]!, { classId: other.id }),
      ),
    ).rejects.toThrow(/label set/);
  });
});

describe("roles and object access", () => {
  it("keeps annotators to their own assignments and signed-out users out of the reading API", async () => {
    const annotator = callerAs(t.db, sessionFor(t.users.annotator));
    // an annotator without assignments: no archive queue, no unassigned case (campaign-reading.test.ts has more)
    const q = await annotator.review.queue({ scope: "unreviewed" });
    expect([q.scope, q.entries]).toEqual(["campaigns", []]);
    await expect(annotator.review.case({ imageId: fx.imageIds[0]! })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(callerAs(t.db, null).review.queue({})).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("serves image bytes by id, never to be stored by the browser, and only to who may see them", async () => {
    const imageId = fx.imageIds[4]!;
    const deps = { db: t.db, storage: fx.storage, session: sessionFor(t.users.radiologist) };
    const map = await t.db.gradCamMap.findFirstOrThrow({ where: { prediction: { imageId } } });
    for (const raw of [
      { type: "image", imageId, kind: "master" },
      { type: "image", imageId, kind: "preview" },
      { type: "gradcam", mapId: map.id },
    ]) {
      const ok = await objectResponse(raw, deps);
      expect(ok.status).toBe(200);
      // patient images: no copy on the workstation's disk, and no validator to keep one by
      expect(ok.headers.get("cache-control")).toBe("private, no-store");
      expect(ok.headers.get("etag")).toBeNull();
      expect(ok.headers.get("content-type")).toBe("image/png");
    }
    const annotator = { ...deps, session: sessionFor(t.users.annotator) };
    expect((await objectResponse({ type: "image", imageId, kind: "master" }, annotator)).status).toBe(403);
    expect(
      (await objectResponse({ type: "image", imageId, kind: "master" }, { ...deps, session: null })).status,
    ).toBe(401);
    expect(
      (await objectResponse({ type: "image", imageId: "../../etc/passwd", kind: "master" }, deps)).status,
    ).toBe(404);
    expect((await objectResponse({ type: "image", imageId, kind: "raw" }, deps)).status).toBe(400);
  });
});
