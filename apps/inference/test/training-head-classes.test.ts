// Head-only retraining on a champion that predicts fewer classes than its label set now has (a class added after
// it): the preview counts the labels of the classes it lacks as skipped, the run skips and counts them, and with
// nothing of the champion's classes left the preview refuses and `training.start` queues nothing.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createInferenceClient, type InferenceClient } from "@cxr/inference-api/client";
import { trainingProgressSchema } from "@cxr/inference-api";
import { importImages, startTestService, TOKEN, type TestService } from "./fixtures/service";
import { trainToVersion } from "./fixtures/training";
import { failure } from "./helpers";

let svc: TestService;
let client: InferenceClient;
let imageIds: string[];
let labelSetId: string;

beforeAll(async () => {
  svc = await startTestService(inject("testDatabaseAdminUrl"));
  client = createInferenceClient({ url: svc.url, token: TOKEN });
  // labelled normal / pneumonia / covid-19 in turn; lung-opacity has none, so it is retired to train at all
  imageIds = await importImages(svc.db, svc.storageDir, 24);
  labelSetId = (await svc.db.labelSet.findUniqueOrThrow({ where: { name: "cxr-4class" } })).id;
  await svc.db.labelClass.update({
    where: { labelSetId_key: { labelSetId, key: "lung-opacity" } },
    data: { retired: true },
  });
});
afterAll(() => svc?.stop());

const headOnly = {
  labelSet: "cxr-4class",
  mode: "HEAD_ONLY" as const,
  labelSources: ["IMPORTED" as const],
};

/** Relabels these images' imported labels with `classId`. */
const relabel = (ids: string[], classId: string) =>
  svc.db.read.updateMany({ where: { imageId: { in: ids }, labelSetId }, data: { classId } });

describe("head-only on a champion that lacks a class", () => {
  it("skips and counts the labels of the class the champion does not predict", async () => {
    const { version: champion } = await trainToVersion(client, svc.db, { mode: "FROM_SCRATCH", epochs: 2 });
    expect(champion.status).toBe("CHAMPION");
    expect(champion.classKeys).not.toContain("tuberculosis");
    // a class added after the champion, with labels
    const tb = await svc.db.labelClass.create({
      data: { labelSetId, key: "tuberculosis", name: "Tuberculosis", index: 4 },
    });
    const relabelled = imageIds.slice(0, 9);
    await relabel(relabelled, tb.id);
    const outsideTest = await svc.db.image.count({
      where: { id: { in: relabelled }, study: { patient: { split: { not: "TEST" } } } },
    });
    expect(outsideTest).toBeGreaterThan(0);

    const preview = await client.training.preview.query({ ...headOnly, architecture: "compact" });
    expect(preview.skipped).toEqual({ labels: outsideTest, classes: ["tuberculosis"] });
    expect(preview.refusals).toEqual([]);
    // other modes learn every class: nothing skipped
    const scratch = await client.training.preview.query({ ...headOnly, mode: "FROM_SCRATCH" });
    expect(scratch.skipped).toBeNull();

    const { run, version } = await trainToVersion(client, svc.db, { ...headOnly, epochs: 2 });
    expect(version.classKeys).toEqual(champion.classKeys);
    expect(trainingProgressSchema.parse(run.progress).skippedLabels).toBe(outsideTest);
  });

  it("refuses when no label of the champion's classes is left, and queues nothing", async () => {
    const tb = await svc.db.labelClass.findUniqueOrThrow({
      where: { labelSetId_key: { labelSetId, key: "tuberculosis" } },
    });
    await relabel(imageIds, tb.id);
    const preview = await client.training.preview.query({ ...headOnly, architecture: "compact" });
    expect(preview.refusals.map((r) => r.code)).toEqual(["NO_CHAMPION_CLASS"]);
    expect(preview.refusals[0]!.message).toMatch(
      /none of the \d+ labels is of a class the champion predicts/,
    );
    const runs = await svc.db.trainingRun.count();
    // a person's start is checked as the preview (the service's own runs skip the label checks)
    const admin = await svc.db.user.create({
      data: { email: "admin@head.test", name: "Admin", role: "ADMIN" },
    });
    const error = await failure(
      client.training.start.mutate({ ...headOnly, epochs: 2, startedById: admin.id }),
    );
    expect(error.data?.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(/champion predicts/);
    expect(await svc.db.trainingRun.count()).toBe(runs);
  });
});
