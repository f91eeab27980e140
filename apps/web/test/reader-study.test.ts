// A reader study over a real PostgreSQL, end to end through the API: creation (and its refusals), the phases a
// reader is offered (the aided read only after the unaided one, washout 0), blinding of the unaided read, the
// required rating, and the results with figures checkable by hand (see `plan`).
import { beforeAll, describe, expect, it } from "vitest";
import { type NewCampaignInput } from "~/lib/campaigns";
import { callerAs, codeOf, sessionFor, useReviewFixture, useSeededDatabase } from "./helpers";

const t = useSeededDatabase();
const fx = useReviewFixture(t, { count: 5, size: 32, tag: "reader-study" });
const admin = () => callerAs(t.db, sessionFor(t.users.admin));

let labelSetId: string;
let classIds: Record<string, string>;
/** cases A, B (COVID-19), C (normal, imported), D (normal, by consensus), E (no truth) */
let cases: Record<"A" | "B" | "C" | "D" | "E", string>;
let campaignId: string;

/**
 * Each reader's label and rating per case, unaided then aided. Wilcoxon AUC over the 2x2 (abnormal, normal) pairs:
 * radiologist unaided 3/4 (A>C, A>D, B<C, B>D), aided 4/4; annotator unaided (0.5+1+0.5+1)/4 = 0.75, aided
 * (1+1+0.5+1)/4 = 0.875. Labels (c = COVID-19, n = normal) give the sensitivity and specificity.
 */
const plan = {
  radiologist: {
    UNAIDED: { A: ["c", 60], B: ["n", 30], C: ["c", 40], D: ["n", 10], E: ["n", 5] },
    AIDED: { A: ["c", 90], B: ["c", 70], C: ["n", 20], D: ["n", 10], E: ["n", 5] },
  },
  annotator: {
    UNAIDED: { A: ["c", 50], B: ["n", 50], C: ["n", 50], D: ["n", 20], E: ["c", 95] },
    AIDED: { A: ["c", 80], B: ["c", 60], C: ["n", 60], D: ["n", 10], E: ["c", 95] },
  },
} as const;

beforeAll(async () => {
  // five cases with the fixture model's predictions (and heat maps): A..E in the fixture's order
  ({ labelSetId, classIds } = fx);
  const [A, B, C, D, E] = fx.imageIds as [string, string, string, string, string];
  cases = { A, B, C, D, E };
  const imported = { A: "covid-19", B: "covid-19", C: "normal" } as const;
  for (const [key, cls] of Object.entries(imported))
    await t.db.read.create({
      data: {
        imageId: cases[key as keyof typeof imported],
        labelSetId,
        classId: classIds[cls]!,
        source: "IMPORT",
      },
    });
  await t.db.consensus.create({
    data: { imageId: D, labelSetId, classId: classIds["normal"]!, method: "MAJORITY" },
  });
});

const form = (over: Partial<NewCampaignInput> = {}): NewCampaignInput => ({
  name: `reader study ${Math.random().toString(36).slice(2, 8)}`,
  labelSetId,
  task: "CLASSIFY",
  readerIds: [t.users.radiologist.id, t.users.annotator.id],
  adjudicatorIds: [],
  readsPerImage: 2,
  blinded: true,
  strategy: "FIFO",
  dueAt: null,
  consensusRule: "MAJORITY",
  iouThreshold: 0.5,
  selection: { source: "SYNTHETIC", limit: 100 },
  mode: "READER_STUDY",
  readerStudy: { studyClass: "covid-19", washoutDays: 0, design: "SEQUENTIAL" },
  ...over,
});

describe("creating a reader study", () => {
  it("refuses bad input and leaves nothing behind", async () => {
    const before = await t.db.campaign.count();
    expect(await codeOf(admin().campaigns.create(form({ readsPerImage: 1 })))).toBe("BAD_REQUEST");
    expect(
      await codeOf(
        admin().campaigns.create(
          form({ readerStudy: { studyClass: "covid-19", washoutDays: -1, design: "SEQUENTIAL" } }),
        ),
      ),
    ).toBe("BAD_REQUEST");
    expect(
      await codeOf(
        admin().campaigns.create(
          form({ readerStudy: { studyClass: "fracture", washoutDays: 0, design: "SEQUENTIAL" } }),
        ),
      ),
    ).toBe("BAD_REQUEST");
    expect(await codeOf(admin().campaigns.create(form({ readerStudy: null })))).toBe("BAD_REQUEST");
    expect(await t.db.campaign.count()).toBe(before);
  });

  it("gives both readers both phases of every case, unblinded at the campaign level", async () => {
    const created = await admin().campaigns.create(form({ name: "reader study" }));
    campaignId = created.id;
    expect(created).toMatchObject({ images: 5, assignments: 2 * 5 * 2 });
    const c = await t.db.campaign.findUniqueOrThrow({ where: { id: campaignId } });
    expect(c).toMatchObject({
      mode: "READER_STUDY",
      washoutDays: 0,
      studyDesign: "SEQUENTIAL",
      blinded: false,
    });
    expect(await codeOf(admin().campaigns.addReaders({ id: campaignId, userIds: [t.users.admin.id] }))).toBe(
      "PRECONDITION_FAILED",
    );
  });

  it("shows 'not enough reads' with what is missing before any read", async () => {
    const r = await admin().campaigns.readerStudy({ campaignId });
    expect(r.mrmc).toBeNull();
    expect(r.missing.join(" ")).toContain("0 so far");
    expect(r).toMatchObject({ cases: 5, withoutTruth: 1, truthSources: { imported: 3, consensus: 1 } });
  });
});

async function readAll(who: "radiologist" | "annotator", phase: "UNAIDED" | "AIDED") {
  const user = t.users[who];
  const caller = callerAs(t.db, sessionFor(user));
  const queue = await caller.review.queue({ scope: "campaigns", campaignId });
  // only this phase is offered: the aided read waits for the unaided one
  expect(queue.entries).toHaveLength(5);
  for (const [key, [label, rating]] of Object.entries(plan[who][phase])) {
    const imageId = cases[key as keyof typeof cases];
    const a = await t.db.assignment.findFirstOrThrow({
      where: { campaignId, imageId, userId: user.id, phase },
    });
    expect(queue.entries.map((e) => e.assignmentId)).toContain(a.id);
    const view = await caller.review.case({ imageId, assignmentId: a.id });
    // unaided: no model output at all; aided: the prediction with its model version
    expect(view.blinded).toBe(phase === "UNAIDED");
    expect(view.prediction?.model.label ?? null).toEqual(
      phase === "AIDED" ? expect.stringContaining("reader-study") : null,
    );
    expect(view.importedClassId).toBeNull();
    const decision = {
      imageId,
      labelSetId,
      baseReadId: null,
      classId: classIds[label === "c" ? "covid-19" : "normal"]!,
      predictionId: view.prediction?.id ?? null,
      assignmentId: a.id,
      durationMs: 1000,
    };
    // the rating is required
    expect(await codeOf(caller.review.submit(decision))).toBe("BAD_REQUEST");
    await caller.review.submit({ ...decision, studyRating: rating });
  }
}

describe("reading and results", () => {
  it("offers the aided read only after the unaided one", async () => {
    const caller = callerAs(t.db, sessionFor(t.users.radiologist));
    const aided = await t.db.assignment.findFirstOrThrow({
      where: { campaignId, imageId: cases.A, userId: t.users.radiologist.id, phase: "AIDED" },
    });
    expect(await codeOf(caller.review.case({ imageId: cases.A, assignmentId: aided.id }))).toBe(
      "PRECONDITION_FAILED",
    );
    await readAll("radiologist", "UNAIDED");
    await readAll("radiologist", "AIDED");
    const r = await admin().campaigns.readerStudy({ campaignId });
    expect(r.mrmc).toBeNull();
    // one reader's reads only: no case is read in both phases by every reader yet
    expect(r.missing.join(" ")).toContain("read in both phases by every reader (0 so far)");
    expect(r.perReader.find((x) => x.reader === t.users.radiologist.name)?.aided.auc).toBe(1);
  });

  it("reports per reader and pooled figures and the MRMC comparison", async () => {
    await readAll("annotator", "UNAIDED");
    await readAll("annotator", "AIDED");
    const r = await admin().campaigns.readerStudy({ campaignId });
    const [annotator, radiologist] = r.perReader;
    expect(radiologist).toMatchObject({
      unaided: { reads: 4, sensitivity: 0.5, specificity: 0.5, auc: 0.75 },
      aided: { reads: 4, sensitivity: 1, specificity: 1, auc: 1 },
    });
    expect(annotator).toMatchObject({
      unaided: { reads: 4, sensitivity: 0.5, specificity: 1, auc: 0.75 },
      aided: { reads: 4, sensitivity: 1, specificity: 1, auc: 0.875 },
    });
    expect(r.pooled).toMatchObject({
      unaided: { reads: 8, sensitivity: 0.5, specificity: 0.75, auc: 0.75 },
      aided: { reads: 8, sensitivity: 1, specificity: 1, auc: 0.9375 },
    });
    expect(r.missing).toEqual([]);
    expect(r.mrmc).toMatchObject({ cases: 4, abnormal: 2, normal: 2, unaidedAuc: 0.75, aidedAuc: 0.9375 });
    expect(r.mrmc!.difference).toBeCloseTo(0.1875, 10);
    expect(r.mrmc!.ci.lower).toBeLessThan(0.1875);
    expect(r.mrmc!.ci.upper).toBeGreaterThan(0.1875);
    expect(r.mrmc!.p).toBeGreaterThan(0);
    expect(r.mrmc!.p).toBeLessThan(1);

    const csv = await admin().campaigns.readerStudyCsv({ campaignId });
    expect(csv.filename).toBe("reader-study-reader_study.csv");
    expect(csv.csv.split("\r\n")).toContain("pooled,aided,8,1,1,0.9375");
    // no consensus is settled from a reader study's reads
    expect(await t.db.consensus.count({ where: { campaignId } })).toBe(0);
  });
});
