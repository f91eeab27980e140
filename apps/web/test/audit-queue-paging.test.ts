// An audit cell of any size is one queue: the viewer pages through it on the server (offset, with the cell's
// total), so a cell of 75 cases is reached whole, in its stable order, without its ids in the address.
import { beforeAll, describe, expect, it } from "vitest";
import { callerAs, sessionFor, useReviewFixture, useSeededDatabase } from "./helpers";

const t = useSeededDatabase();
const fx = useReviewFixture(t, { count: 75, size: 32, tag: "audit-paging" });
const CELL = 75;
/** the cell: pneumonia predicted as COVID-19, over everything the version predicted */
const cell = () => ({
  kind: "cell" as const,
  modelVersionId: fx.modelVersionId,
  scope: "predicted" as const,
  truthKey: "pneumonia",
  predictedKey: "covid-19",
});

beforeAll(async () => {
  // every case pneumonia by its imported label and predicted COVID-19: one cell of 75
  await t.db.read.createMany({
    data: fx.imageIds.map((imageId) => ({
      imageId,
      labelSetId: fx.labelSetId,
      classId: fx.classIds["pneumonia"]!,
      source: "IMPORT" as const,
    })),
  });
  await t.db.prediction.updateMany({
    where: { modelVersionId: fx.modelVersionId },
    data: { predictedClassId: fx.classIds["covid-19"]! },
  });
});

describe("an audit queue larger than a page", () => {
  it("pages through every case of the cell in order, with the cell's total on each page", async () => {
    const caller = callerAs(t.db, sessionFor(t.users.radiologist));
    const audit = cell();
    const pages = [];
    for (const offset of [0, 30, 60, 90]) pages.push(await caller.review.queue({ audit, limit: 30, offset }));
    expect(pages.map((p) => [p.page, p.entries.length])).toEqual([
      [{ offset: 0, total: CELL }, 30],
      [{ offset: 30, total: CELL }, 30],
      [{ offset: 60, total: CELL }, 15],
      [{ offset: 90, total: CELL }, 0],
    ]);
    const ids = pages.flatMap((p) => p.entries.map((e) => e.imageId));
    // every case once, most confident first (ties by id), as the audit orders a cell
    const expected = await t.db.prediction.findMany({
      where: { modelVersionId: fx.modelVersionId },
      orderBy: [{ confidence: "desc" }, { imageId: "asc" }],
      select: { imageId: true },
    });
    expect(ids).toEqual(expected.map((p) => p.imageId));
    expect(new Set(ids).size).toBe(CELL);
    // case 31 of 75 is the first of the second page
    expect(pages[1]!.entries[0]!.imageId).toBe(expected[30]!.imageId);
  });

  it("refuses a negative offset with a clear error", async () => {
    const caller = callerAs(t.db, sessionFor(t.users.radiologist));
    await expect(caller.review.queue({ audit: cell(), offset: -1 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});
