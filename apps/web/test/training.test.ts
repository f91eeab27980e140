// Training from the browser's API against real PostgreSQL and a real inference service (its own process over
// HTTP, as `npm start` runs it): the preview and its refusals, a start recorded as the signed-in admin with
// autoPromote off, the run followed through the web's own subscription to its failed state and error, the
// retraining policy set as the signed-in admin, and radiologists refused.
import type { RunView } from "@cxr/inference-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerAs, codeOf, sessionFor, useSeededDatabase } from "./helpers";
import { startInferenceService, type StartedInference } from "./inference-service";

const TOKEN = "training-test-token-0123456789";
const PORT = 4210;
const t = useSeededDatabase();
let service: StartedInference | undefined;

/** Imported labels of two classes for `count` images whose bytes were never stored (a run fails to load them). */
async function labelledImages(count: number) {
  const labelSet = await t.db.labelSet.findUniqueOrThrow({
    where: { name: "cxr-4class" },
    include: { classes: true },
  });
  const keep = ["normal", "pneumonia"];
  await t.db.labelClass.updateMany({
    where: { labelSetId: labelSet.id, key: { notIn: keep } },
    data: { retired: true },
  });
  for (let n = 0; n < count; n++) {
    const patient = await t.db.patient.create({ data: { source: "SYNTHETIC", externalId: `train-${n}` } });
    const study = await t.db.study.create({ data: { patientId: patient.id } });
    const image = await t.db.image.create({
      data: {
        studyId: study.id,
        source: "SYNTHETIC",
        modality: "DX",
        status: "READY",
        originalSha256: `missing-${n}`,
        masterSha256: `missing-${n}`,
        mimeType: "image/png",
        byteSize: 1,
      },
    });
    const cls = labelSet.classes.find((c) => c.key === keep[n % 2])!;
    await t.db.read.create({
      data: { imageId: image.id, labelSetId: labelSet.id, classId: cls.id, source: "IMPORT" },
    });
  }
}

beforeAll(async () => {
  service = await startInferenceService({ port: PORT, token: TOKEN, databaseUrl: t.appUrl });
  await labelledImages(12);
}, 120_000);
afterAll(() => service?.stop());

const admin = () => callerAs(t.db, sessionFor(t.users.admin));
const radiologist = () => callerAs(t.db, sessionFor(t.users.radiologist));

describe("training from the browser", () => {
  it("previews per class and refuses head-only without a champion", async () => {
    const preview = await admin().training.preview({ labelSet: "cxr-4class", mode: "HEAD_ONLY" });
    expect(preview.total.images).toBe(12);
    expect(preview.classes.find((c) => c.key === "normal")).toMatchObject({
      images: 6,
      patients: 6,
      bySource: { IMPORTED: { images: 6, patients: 6 } },
    });
    expect(preview.refusals.map((r) => r.code)).toEqual(["NO_CHAMPION"]);
    await expect(admin().training.start({ labelSet: "cxr-4class", mode: "HEAD_ONLY" })).rejects.toMatchObject(
      {
        code: "PRECONDITION_FAILED",
        message: expect.stringMatching(/no compact champion/),
      },
    );
    expect(await t.db.trainingRun.count()).toBe(0);
  });

  it("refuses radiologists before the service is asked", async () => {
    expect(await codeOf(radiologist().training.start({ labelSet: "cxr-4class", mode: "FROM_SCRATCH" }))).toBe(
      "FORBIDDEN",
    );
    expect(await codeOf(radiologist().training.preview({ labelSet: "cxr-4class" }))).toBe("FORBIDDEN");
    expect(await t.db.trainingRun.count()).toBe(0);
  });

  it("starts a run as the signed-in admin, autoPromote off, and follows it to its failed state", async () => {
    const run = await admin().training.start({ labelSet: "cxr-4class", mode: "FROM_SCRATCH", epochs: 1 });
    expect(run.startedBy?.id).toBe(t.users.admin.id);
    const row = await t.db.trainingRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(row.startedById).toBe(t.users.admin.id);
    expect((row.params as { autoPromote?: boolean }).autoPromote).toBe(false);
    const audit = await t.db.auditEvent.findFirstOrThrow({
      where: { action: "training.started", entityId: run.id },
    });
    expect(audit.actorId).toBe(t.users.admin.id);

    // the web's own subscription relays the service's stream; radiologists may follow runs too
    const seen: RunView[] = [];
    const stream = await radiologist().training.progress({ id: run.id });
    for await (const view of stream) {
      seen.push(view);
      if (!["QUEUED", "RUNNING"].includes(view.status)) break;
    }
    const last = seen.at(-1)!;
    expect(last.id).toBe(run.id);
    // the images' bytes were never stored: the run fails with a reason a person can act on
    expect(last.status).toBe("FAILED");
    expect(last.error).toMatch(/no labelled images/);
    const listed = await radiologist().training.list({});
    expect(listed.find((r) => r.id === run.id)).toMatchObject({
      status: "FAILED",
      startedBy: { id: t.users.admin.id },
    });
  }, 60_000);

  it("a stream of an unknown run fails with NOT_FOUND", async () => {
    const stream = await admin().training.progress({ id: "no-such-run" });
    await expect(
      (async () => {
        for await (const _ of stream) void _;
      })(),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("sets the retraining policy as the signed-in admin; radiologists read it", async () => {
    const policy = await admin().training.setPolicy({
      labelSet: "cxr-4class",
      enabled: true,
      threshold: 25,
      mode: "HEAD_ONLY",
      architecture: "compact",
      epochs: 3,
    });
    expect(policy.updatedBy?.id).toBe(t.users.admin.id);
    expect(await radiologist().training.policy({ labelSet: "cxr-4class" })).toMatchObject({
      threshold: 25,
      mode: "HEAD_ONLY",
      newLabels: 0,
      lastTriggeredAt: null,
    });
  });
});
