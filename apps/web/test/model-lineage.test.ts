// A version's lineage from what its run recorded (real PostgreSQL): labels by source and by reader (top readers,
// the rest summed, "not recorded" for older versions) and the parent chain with the labels added since each parent.
import { type Prisma } from "@cxr/db";
import { beforeAll, describe, expect, it } from "vitest";
import { registerVersion } from "../e2e/model-fixtures";
import { modelLineage } from "~/server/services/models/lineage";
import { useReviewFixture, useSeededDatabase } from "./helpers";

const t = useSeededDatabase();
const fx = useReviewFixture(t, { count: 3, size: 64, tag: "lineage" });
const ids = { v1: "", v2: "", v3: "" };
const readerIds: string[] = [];

beforeAll(async () => {
  const v1 = await registerVersion(t.db, { status: "RETIRED", quality: 0.8, gatePassed: true, tag: "lin1" });
  // labels given after v1 and before v2: two reads and a consensus
  const labelSetId = (await t.db.modelVersion.findUniqueOrThrow({ where: { id: v1.id } })).labelSetId;
  for (let i = 0; i < 7; i++)
    readerIds.push(
      (
        await t.db.user.create({
          data: { email: `lin-${i}@cxr.local`, name: `Reader ${i}`, role: "RADIOLOGIST" },
        })
      ).id,
    );
  const classId = fx.classIds["covid-19"]!;
  for (const imageId of fx.imageIds.slice(0, 2))
    await t.db.read.create({
      data: { imageId, labelSetId, classId, source: "READER", readerId: readerIds[0] },
    });
  await t.db.consensus.create({
    data: { imageId: fx.imageIds[2]!, labelSetId, classId, method: "ADJUDICATED", decidedById: readerIds[1] },
  });
  const v2 = await registerVersion(t.db, {
    status: "CHAMPION",
    quality: 0.85,
    gatePassed: true,
    tag: "lin2",
    parentId: v1.id,
  });
  const v3 = await registerVersion(t.db, {
    status: "CANDIDATE",
    quality: 0.86,
    gatePassed: true,
    tag: "lin3",
    parentId: v2.id,
  });
  // v3's run recorded its readers: seven of them, 7..1 labels
  const metrics = (await t.db.modelVersion.findUniqueOrThrow({ where: { id: v3.id } })).metrics as Record<
    string,
    unknown
  >;
  const readers = Object.fromEntries(readerIds.map((id, i) => [id, 7 - i]));
  await t.db.modelVersion.update({
    where: { id: v3.id },
    data: { metrics: { ...metrics, readers } as Prisma.InputJsonValue },
  });
  Object.assign(ids, { v1: v1.id, v2: v2.id, v3: v3.id });
});

describe("model lineage", () => {
  it("counts the labels by source and by reader, top five and the rest summed", async () => {
    const lineage = await modelLineage(t.db, ids.v3);
    expect(lineage.bySource).toEqual({ CONSENSUS: 0, CORRECTED: 5, IMPORTED: 40 });
    expect(lineage.byReader).toEqual({
      top: [0, 1, 2, 3, 4].map((i) => ({ id: readerIds[i], name: `Reader ${i}`, labels: 7 - i })),
      rest: { readers: 2, labels: 2 + 1 },
    });
  });

  it("says a version trained before readers were recorded has none, and gives the chain with labels since each parent", async () => {
    const older = await modelLineage(t.db, ids.v2);
    expect(older.byReader).toBeNull();
    const chain = (await modelLineage(t.db, ids.v3)).chain;
    expect(chain.map((l) => [l.id, l.labelsSinceParent])).toEqual([
      [ids.v3, 0],
      [ids.v2, 3],
      [ids.v1, null],
    ]);
  });
});
