// Idempotent submit on real PostgreSQL: a decision retried with the same submissionId (its answer was lost)
// finds the read it stored; no second read, annotation or audit event. The id of another reader's or another
// image's decision is refused.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type DecisionInput } from "~/server/services/review/decision";
import { callerAs, sessionFor, useReviewFixture, useSeededDatabase } from "./helpers";
import { blankDraft } from "./review-fixtures";

const t = useSeededDatabase();
const fx = useReviewFixture(t, { count: 4, size: 32, tag: "retry" });

const rosa = () => callerAs(t.db, sessionFor(t.users.radiologist));
const ada = () => callerAs(t.db, sessionFor(t.users.admin));

const decision = (imageId: string, submissionId: string): DecisionInput => ({
  imageId,
  labelSetId: fx.labelSetId,
  baseReadId: null,
  classId: fx.classIds["pneumonia"]!,
  predictionId: null,
  durationMs: 1200,
  rois: [
    {
      shape: "RECTANGLE",
      points: [
        [0.1, 0.1],
        [0.4, 0.4],
      ],
      classId: null,
    },
  ],
  submissionId,
});

/** what a decision on the image left in the database: reads, their annotations and audit events */
async function footprint(imageId: string) {
  const reads = await t.db.read.findMany({ where: { imageId }, select: { id: true } });
  const ids = reads.map((r) => r.id);
  return {
    reads: ids.length,
    annotations: await t.db.annotation.count({ where: { imageId } }),
    readEvents: await t.db.auditEvent.count({ where: { entityType: "Read", entityId: { in: ids } } }),
    annotationEvents: await t.db.auditEvent.count({
      where: {
        entityType: "Annotation",
        action: "annotation.created",
        after: { path: ["readId"], equals: ids[0] },
      },
    }),
  };
}

describe("review.submit with a submissionId", () => {
  it("stores the id with the read", async () => {
    const id = randomUUID();
    const { readId } = await rosa().review.submit(decision(fx.imageIds[0]!, id));
    expect((await t.db.read.findUniqueOrThrow({ where: { id: readId } })).submissionId).toBe(id);
  });

  it("a retry after a lost answer returns the stored read: no second read, annotation or audit event", async () => {
    const imageId = fx.imageIds[1]!;
    const input = decision(imageId, randomUUID());
    await rosa().review.saveDraft({
      imageId,
      draft: blankDraft({ classId: input.classId }),
    });
    const first = await rosa().review.submit(input);
    const once = await footprint(imageId);
    expect(once).toEqual({ reads: 1, annotations: 1, readEvents: 1, annotationEvents: 1 });

    // the answer was lost: the browser sends the very same input again (its base read is now stale)
    const retry = await rosa().review.submit(input);
    expect(retry.readId).toBe(first.readId);
    expect(await footprint(imageId)).toEqual(once);
    expect(await t.db.reviewDraft.count({ where: { imageId } })).toBe(0);
  });

  it("two submits of one attempt at once (a retry racing the original) store one read", async () => {
    const imageId = fx.imageIds[2]!;
    const input = decision(imageId, randomUUID());
    const answers = await Promise.all([rosa().review.submit(input), rosa().review.submit(input)]);
    expect(answers[1].readId).toBe(answers[0].readId);
    expect(await footprint(imageId)).toEqual({
      reads: 1,
      annotations: 1,
      readEvents: 1,
      annotationEvents: 1,
    });
  });

  it("refuses another reader's submission id (BAD_REQUEST) and stores nothing", async () => {
    const imageId = fx.imageIds[3]!;
    const input = decision(imageId, randomUUID());
    await rosa().review.submit(input);
    const before = await footprint(imageId);
    await expect(ada().review.submit(input)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await footprint(imageId)).toEqual(before);
  });

  it("refuses the id of the reader's decision on another image (BAD_REQUEST) and stores nothing", async () => {
    const used = (await t.db.read.findFirstOrThrow({ where: { imageId: fx.imageIds[0]! } })).submissionId!;
    const other = fx.imageIds[3]!;
    const before = await footprint(other);
    const head = await t.db.read.findFirstOrThrow({
      where: { imageId: other },
      orderBy: { createdAt: "desc" },
    });
    await expect(
      rosa().review.submit({ ...decision(other, used), baseReadId: head.id }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await footprint(other)).toEqual(before);
  });

  it("one id sent at once for two images: one read, the other refused (BAD_REQUEST)", async () => {
    const id = randomUUID();
    const [a, b] = [fx.imageIds[0]!, fx.imageIds[1]!];
    const heads = await Promise.all(
      [a, b].map((imageId) => t.db.read.findFirst({ where: { imageId }, orderBy: { createdAt: "desc" } })),
    );
    const outcomes = await Promise.allSettled(
      [a, b].map((imageId, n) =>
        rosa().review.submit({ ...decision(imageId, id), baseReadId: heads[n]?.id ?? null }),
      ),
    );
    expect(outcomes.map((o) => o.status).sort()).toEqual(["fulfilled", "rejected"]);
    const refused = outcomes.find((o) => o.status === "rejected");
    expect(refused?.reason).toMatchObject({ code: "BAD_REQUEST" });
    expect(await t.db.read.count({ where: { submissionId: id } })).toBe(1);
  });

  it("refuses a submission id that is not a UUID (BAD_REQUEST)", async () => {
    await expect(rosa().review.submit(decision(fx.imageIds[0]!, "not-a-uuid"))).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});
