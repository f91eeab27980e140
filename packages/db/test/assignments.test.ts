import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { kCenterGreedy, type StrategyWeights } from "@cxr/domain";
import { createAssignments } from "../src/assignments";
import { DEMO_CAMPAIGN, demoUserTemplates, seed, seedDemoCampaign } from "../src/seed";
import { createTestDatabase, type TestDatabase } from "../src/testing";

let t: TestDatabase;
let labelSetId: string;
let imageIds: string[];
let users: { admin: string; reader: string; other: string };

beforeAll(async () => {
  t = await createTestDatabase(inject("testDatabaseAdminUrl"));
  await seed(
    t.db,
    demoUserTemplates.map((u) => ({ ...u, password: `pw-${u.role}-1234` })),
  );
  const db = t.db;
  const labelSet = await db.labelSet.findUniqueOrThrow({
    where: { name: "cxr-4class" },
    include: { classes: { orderBy: { index: "asc" } } },
  });
  labelSetId = labelSet.id;
  const model = await db.modelVersion.create({
    data: {
      labelSetId,
      version: 1,
      name: "assign-test",
      architecture: "COMPACT_CNN",
      inputSize: 224,
      targetLayer: "conv4",
      storageUri: "memory://assign-test",
      checksum: "x",
      status: "CHAMPION",
    },
  });

  const patient = await db.patient.create({ data: { source: "SYNTHETIC", externalId: "assign-test" } });
  const study = await db.study.create({ data: { patientId: patient.id } });
  // entropy rises with n: image 3 is the most uncertain
  const probs = [
    [0.97, 0.01, 0.01, 0.01],
    [0.7, 0.1, 0.1, 0.1],
    [0.1, 0.45, 0.4, 0.05],
    [0.25, 0.25, 0.25, 0.25],
  ];
  imageIds = [];
  for (const [n, p] of probs.entries()) {
    const image = await db.image.create({
      data: {
        studyId: study.id,
        source: "SYNTHETIC",
        modality: "DX",
        originalSha256: `sha-${n}`,
        mimeType: "image/png",
        byteSize: 1,
      },
    });
    const top = p.indexOf(Math.max(...p));
    await db.prediction.create({
      data: {
        imageId: image.id,
        modelVersionId: model.id,
        probabilities: p,
        predictedClassId: labelSet.classes[top]!.id,
        confidence: Math.max(...p),
        entropy: -p.reduce((s, x) => s + x * Math.log(x), 0),
      },
    });
    imageIds.push(image.id);
  }
  const byEmail = async (email: string) => (await db.user.findUniqueOrThrow({ where: { email } })).id;
  const other = await db.user.create({
    data: { email: "r2@cxr.local", name: "Second Reader", role: "RADIOLOGIST" },
  });
  users = {
    admin: await byEmail("admin@cxr.local"),
    reader: await byEmail("radiologist@cxr.local"),
    other: other.id,
  };
});
afterAll(() => t.close());

async function campaign(
  name: string,
  strategy: "FIFO" | "ENTROPY" | "RANDOM" | "DIVERSITY" | "WEIGHTED_MIX",
  readsPerImage = 1,
  strategyWeights?: StrategyWeights,
) {
  return t.db.campaign.create({
    data: {
      name,
      labelSetId,
      strategy,
      readsPerImage,
      status: "ACTIVE",
      createdById: users.admin,
      ...(strategyWeights ? { strategyWeights } : {}),
    },
  });
}

const queueOrder = async (campaignId: string) =>
  (
    await t.db.assignment.findMany({
      where: { campaignId },
      orderBy: [{ priority: "desc" }, { assignedAt: "asc" }],
    })
  ).map((r) => r.imageId);

describe("createAssignments", () => {
  it("gives an ENTROPY campaign's assignments the entropy as priority, idempotently", async () => {
    const c = await campaign("entropy", "ENTROPY");
    expect(await createAssignments(t.db, { campaignId: c.id, imageIds, userIds: [users.reader] })).toEqual({
      created: 4,
    });
    expect(await createAssignments(t.db, { campaignId: c.id, imageIds, userIds: [users.reader] })).toEqual({
      created: 0,
    });
    const rows = await t.db.assignment.findMany({
      where: { campaignId: c.id },
      orderBy: [{ priority: "desc" }, { assignedAt: "asc" }],
    });
    expect(rows.map((r) => r.imageId)).toEqual([...imageIds].reverse());
    expect(rows.every((r) => r.status === "PENDING" && r.userId === users.reader)).toBe(true);
    const images = await t.db.campaignImage.findMany({ where: { campaignId: c.id } });
    expect(images).toHaveLength(4);
    expect(Math.max(...images.map((i) => i.priority))).toBeCloseTo(Math.log(4));
  });

  it("keeps the given order in a FIFO campaign and spreads readsPerImage over the readers", async () => {
    const c = await campaign("fifo", "FIFO", 1);
    await createAssignments(t.db, { campaignId: c.id, imageIds, userIds: [users.reader, users.other] });
    const rows = await t.db.assignment.findMany({
      where: { campaignId: c.id },
      orderBy: [{ priority: "desc" }, { assignedAt: "asc" }],
    });
    expect(rows.map((r) => r.imageId)).toEqual(imageIds);
    expect(rows.map((r) => r.userId)).toEqual([users.reader, users.other, users.reader, users.other]);

    const twice = await campaign("double", "FIFO", 2);
    await createAssignments(t.db, { campaignId: twice.id, imageIds, userIds: [users.reader, users.other] });
    expect(await t.db.assignment.count({ where: { campaignId: twice.id } })).toBe(8);
  });
});

describe("batch strategies", () => {
  // 2-D embeddings: images 0 and 1 are near-duplicates, 2 is far, 3 sits between
  const points = [0, 0.1, 10, 4].map((x) => [x, 0]);
  const embeddings = () => new Map(imageIds.map((id, i) => [id, points[i]!]));
  const noCam = new Map<string, number>();

  it("orders a DIVERSITY campaign's queue as k-center greedy does, images without an embedding last", async () => {
    const c = await campaign("diversity", "DIVERSITY");
    // image 3 has no embedding: ranked after the others
    const some = new Map([...embeddings()].slice(0, 3));
    await createAssignments(t.db, {
      campaignId: c.id,
      imageIds,
      userIds: [users.reader],
      batch: { embeddings: some, camOutside: noCam },
    });
    const order = kCenterGreedy(points.slice(0, 3), 3).map((i) => imageIds[i]!);
    expect(await queueOrder(c.id)).toEqual([...order, imageIds[3]]);
  });

  it("ranks images added later against those already in the campaign", async () => {
    const c = await campaign("diversity-later", "DIVERSITY");
    const batch = { embeddings: embeddings(), camOutside: noCam };
    // 0 and 2 first; then 1 (a near-duplicate of 0) and 3 (between): 3 covers more, so it comes first
    await createAssignments(t.db, {
      campaignId: c.id,
      imageIds: [imageIds[0]!, imageIds[2]!],
      userIds: [users.reader],
      batch,
    });
    await createAssignments(t.db, {
      campaignId: c.id,
      imageIds: [imageIds[1]!, imageIds[3]!],
      userIds: [users.reader],
      batch,
    });
    const images = await t.db.campaignImage.findMany({ where: { campaignId: c.id } });
    const priority = (i: number) => images.find((x) => x.imageId === imageIds[i])!.priority;
    expect(priority(3)).toBeCloseTo(4, 10); // 4 from image 0
    expect(priority(1)).toBeCloseTo(0.1, 10); // 0.1 from image 0
  });

  it("follows the weights of a WEIGHTED_MIX campaign", async () => {
    // entropy ranks 3 > 2 > 1 > 0; diversity (k-center) ranks 3 (typical) first, then 2, 0 and 1
    const entropyFirst = await campaign("mix-entropy", "WEIGHTED_MIX", 1, { ENTROPY: 1 });
    const batch = { embeddings: embeddings(), camOutside: noCam };
    await createAssignments(t.db, { campaignId: entropyFirst.id, imageIds, userIds: [users.reader], batch });
    expect(await queueOrder(entropyFirst.id)).toEqual([...imageIds].reverse());

    const diverse = await campaign("mix-diversity", "WEIGHTED_MIX", 1, { ENTROPY: 1, DIVERSITY: 10 });
    await createAssignments(t.db, { campaignId: diverse.id, imageIds, userIds: [users.reader], batch });
    const kCenter = kCenterGreedy(points, 4).map((i) => imageIds[i]!);
    expect(await queueOrder(diverse.id)).toEqual(kCenter);
    expect(kCenter).not.toEqual([...imageIds].reverse());
  });

  it("refuses a WEIGHTED_MIX campaign whose weights are all 0, assigning nothing", async () => {
    const c = await t.db.campaign.create({
      data: {
        name: "mix-zero",
        labelSetId,
        strategy: "WEIGHTED_MIX",
        strategyWeights: { ENTROPY: 0 },
        status: "ACTIVE",
        createdById: users.admin,
      },
    });
    await expect(
      createAssignments(t.db, { campaignId: c.id, imageIds, userIds: [users.reader] }),
    ).rejects.toThrow(/at least one strategy/);
    expect(await t.db.campaignImage.count({ where: { campaignId: c.id } })).toBe(0);
  });
});

describe("seedDemoCampaign", () => {
  it("is skipped while there are campaigns already, and creates one only when demo images exist", async () => {
    // campaigns exist from the tests above
    expect(await seedDemoCampaign(t.db)).toBeNull();
    const empty = await createTestDatabase(inject("testDatabaseAdminUrl"));
    try {
      await seed(
        empty.db,
        demoUserTemplates.map((u) => ({ ...u, password: `pw-${u.role}-1234` })),
      );
      expect(await empty.db.campaign.count()).toBe(0);
    } finally {
      await empty.close();
    }
    await t.db.assignment.deleteMany();
    await t.db.campaign.deleteMany();
    const seedUsers = demoUserTemplates.map((u) => ({ ...u, password: `pw-${u.role}-1234` }));
    await seed(t.db, seedUsers, { demoCampaign: false });
    expect(await t.db.campaign.count()).toBe(0);
    await seed(t.db, seedUsers);
    const demo = await t.db.campaign.findUniqueOrThrow({
      where: { name: DEMO_CAMPAIGN },
      include: { assignments: true },
    });
    expect(demo).toMatchObject({ status: "ACTIVE", strategy: "ENTROPY", blinded: false });
    expect(demo.assignments).toHaveLength(4);
    expect(demo.assignments.every((a) => a.userId === users.reader)).toBe(true);
    expect(await seedDemoCampaign(t.db)).toBeNull();
  });
});
