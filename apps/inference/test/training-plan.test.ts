// Before a run starts: the preview's counts and refusals over real HTTP and PostgreSQL, `training.start`
// refusing a person's run for the same reasons, the retraining policy triggering at N new labels and not at
// N-1, and the re-scoring progress after a promotion.
import { createInferenceClient, type InferenceClient } from "@cxr/inference-api/client";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { checkPolicies } from "../src/training/policy";
import { importImages, registerFakeModel } from "./fixtures/service";
import { startTestService, TOKEN, type TestService } from "./fixtures/service";
import { codeOf, failure } from "./helpers";

let imageIds: string[];
let svc: TestService;
let adminId: string, radiologistId: string, labelSetId: string;
let client: InferenceClient;

beforeAll(async () => {
  svc = await startTestService(inject("testDatabaseAdminUrl"));
  client = createInferenceClient({ url: svc.url, token: TOKEN });
  // 24 images of 12 patients, labelled normal / pneumonia / covid-19 in turn: no lung-opacity example
  imageIds = await importImages(svc.db, svc.storageDir, 24);
  adminId = (await svc.db.user.create({ data: { email: "admin@plan.test", name: "Admin", role: "ADMIN" } }))
    .id;
  radiologistId = (
    await svc.db.user.create({ data: { email: "rad@plan.test", name: "Rad", role: "RADIOLOGIST" } })
  ).id;
  labelSetId = (await svc.db.labelSet.findUniqueOrThrow({ where: { name: "cxr-4class" } })).id;
});
afterAll(() => svc?.stop());

const setRetired = (key: string, retired: boolean) =>
  svc.db.labelClass.update({ where: { labelSetId_key: { labelSetId, key } }, data: { retired } });

/** A reader's correction of an image (a READER read), now. */
async function correct(imageId: string, key: string) {
  const cls = await svc.db.labelClass.findUniqueOrThrow({ where: { labelSetId_key: { labelSetId, key } } });
  await svc.db.read.create({
    data: { imageId, labelSetId, classId: cls.id, source: "READER", readerId: radiologistId },
  });
}

describe("training preview", () => {
  it("counts images and patients per class and source, and refuses a class without examples", async () => {
    const preview = await client.training.preview.query({
      labelSet: "cxr-4class",
      mode: "FROM_SCRATCH",
      labelSources: ["IMPORTED"],
    });
    expect(preview.total.images).toBe(24);
    expect(preview.split.unassigned).toEqual({ images: 24, patients: 12 });
    const normal = preview.classes.find((c) => c.key === "normal")!;
    expect(normal).toMatchObject({ images: 8, bySource: { IMPORTED: { images: 8 } } });
    expect(normal.patients).toBeGreaterThan(0);
    expect(preview.champion).toBeNull();
    expect(preview.startsFrom).toBeNull();
    expect(preview.refusals.map((r) => r.code)).toEqual(["EMPTY_CLASS"]);
    expect(preview.refusals[0]!.message).toMatch(/lung-opacity/);
  });

  it("refuses too few labels and head-only or fine-tuning without a champion", async () => {
    const preview = await client.training.preview.query({
      labelSet: "cxr-4class",
      mode: "HEAD_ONLY",
      labelSources: ["CONSENSUS"],
    });
    expect(preview.refusals.map((r) => r.code)).toEqual(["TOO_FEW_LABELS", "EMPTY_CLASS", "NO_CHAMPION"]);
    expect(await codeOf(client.training.preview.query({ labelSet: "no-such-set" }))).toBe("NOT_FOUND");
  });

  it("training.start refuses a person's run for the preview's reasons and records nothing", async () => {
    const before = await svc.db.trainingRun.count();
    /** the code and message a start as the admin fails with */
    const refusal = async (mode: "HEAD_ONLY" | "FROM_SCRATCH", source: "IMPORTED" | "CONSENSUS") => {
      const error = await failure(
        client.training.start.mutate({
          labelSet: "cxr-4class",
          mode,
          labelSources: [source],
          startedById: adminId,
        }),
      );
      return [error.data?.code, error.message];
    };
    expect(await refusal("FROM_SCRATCH", "IMPORTED")).toEqual([
      "BAD_REQUEST",
      expect.stringMatching(/no examples of lung-opacity/),
    ]);
    await setRetired("lung-opacity", true);
    try {
      expect(await refusal("HEAD_ONLY", "IMPORTED")).toEqual([
        "PRECONDITION_FAILED",
        expect.stringMatching(/no compact champion/),
      ]);
      expect(await refusal("FROM_SCRATCH", "CONSENSUS")).toEqual([
        "BAD_REQUEST",
        expect.stringMatching(/too few labels/),
      ]);
      expect(await svc.db.trainingRun.count()).toBe(before);
    } finally {
      await setRetired("lung-opacity", false);
    }
  });

  it("names the champion a run starts from and the labels newer than it", async () => {
    const championId = await registerFakeModel(svc.db, svc.modelsDir, "plan-champion");
    await svc.db.modelVersion.update({ where: { id: championId }, data: { status: "CHAMPION" } });
    await correct(imageIds[0]!, "pneumonia");
    const preview = await client.training.preview.query({
      labelSet: "cxr-4class",
      mode: "HEAD_ONLY",
      labelSources: ["CORRECTED", "IMPORTED"],
    });
    expect(preview.champion?.id).toBe(championId);
    expect(preview.startsFrom?.id).toBe(championId);
    expect(preview.newSinceChampion).toBe(1);
    expect(preview.classes.find((c) => c.key === "pneumonia")).toMatchObject({
      newSinceChampion: 1,
      bySource: { CORRECTED: { images: 1 } },
    });
    expect(preview.refusals.map((r) => r.code)).toEqual(["EMPTY_CLASS"]);
  });

  it("reports re-scoring progress of the champion over unreviewed images", async () => {
    const progress = await client.models.rescoreProgress.query({ labelSet: "cxr-4class" });
    expect(progress.champion).not.toBeNull();
    // the corrected image has a reader's decision: it is not re-scored
    expect(progress.unreviewed).toBe(23);
    expect(progress.scored).toBeLessThanOrEqual(progress.unreviewed);
    expect(progress.queued).toBeGreaterThanOrEqual(0);
  });
});

describe("retraining policy", () => {
  it("is set only by an active admin, and audited", async () => {
    const input = {
      labelSet: "cxr-4class",
      enabled: true,
      threshold: 3,
      mode: "FROM_SCRATCH" as const,
      architecture: "compact" as const,
      epochs: 1,
    };
    expect(await codeOf(client.policy.set.mutate({ ...input, actorId: radiologistId }))).toBe("FORBIDDEN");
    const policy = await client.policy.set.mutate({ ...input, actorId: adminId });
    expect(policy).toMatchObject({
      threshold: 3,
      mode: "FROM_SCRATCH",
      architecture: "COMPACT_CNN",
      lastRun: null,
    });
    expect(policy.updatedBy?.id).toBe(adminId);
    const audit = await svc.db.auditEvent.findFirstOrThrow({
      where: { action: "retraining_policy.created" },
    });
    expect(audit.actorId).toBe(adminId);
  });

  it("triggers at N new corrected labels since the champion, not at N-1, and not twice", async () => {
    await setRetired("lung-opacity", true);
    // the champion is newer than the earlier correction: nothing counts yet
    await svc.db.modelVersion.updateMany({
      where: { labelSetId, status: "CHAMPION" },
      data: { createdAt: new Date() },
    });
    const policyRuns = () =>
      svc.db.trainingRun.count({ where: { params: { path: ["policy"], equals: true } } });
    await correct(imageIds[1]!, "normal");
    await correct(imageIds[2]!, "normal");
    expect((await client.policy.get.query({ labelSet: "cxr-4class" }))?.newLabels).toBe(2);
    await checkPolicies(svc.service.deps);
    expect(await policyRuns()).toBe(0);

    await correct(imageIds[3]!, "covid-19");
    await checkPolicies(svc.service.deps);
    expect(await policyRuns()).toBe(1);
    const policy = (await client.policy.get.query({ labelSet: "cxr-4class" }))!;
    expect(policy.lastTriggeredAt).not.toBeNull();
    expect(policy.lastRun).not.toBeNull();
    const run = await svc.db.trainingRun.findUniqueOrThrow({ where: { id: policy.lastRun!.id } });
    expect(run).toMatchObject({ mode: "FROM_SCRATCH", architecture: "COMPACT_CNN", startedById: null });
    expect((run.params as { autoPromote?: boolean }).autoPromote).toBe(true);
    // the same labels do not start another run
    expect(await checkPolicies(svc.service.deps)).toEqual([]);
    expect(policy.newLabels).toBe(0);
  });
});
