// Grad-CAM against readers' ROIs when a version's maps are stored (explain, over HTTP, real PostgreSQL), and
// Grad-CAM on demand for a class and variant, stored once. The fake engine's map for class k is a cone centred
// at (k * 5 + 3) mod 16, 8 on a 16 x 16 map; the images are 16 x 16 too (15 px of tolerance: nearly anywhere).
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createInferenceClient, type InferenceClient } from "@cxr/inference-api/client";
import * as fixtures from "./fixtures/service";
import { codeOf } from "./helpers";

let svc: fixtures.TestService;
let client: InferenceClient;
let imageId: string;
let modelVersionId: string;
let readerId: string;
let readId: string;
let covidIndex: number;

/** the fake engine's map for class k, before its brightness factor (which cancels in a share) */
const cone = (k: number, x: number, y: number) =>
  Math.max(0, 1 - Math.hypot(x - ((k * 5 + 3) % 16), y - 8) / 8);

beforeAll(async () => {
  svc = await fixtures.startTestService(inject("testDatabaseAdminUrl"));
  client = createInferenceClient({ url: svc.url, token: fixtures.TOKEN });
  const ids = await fixtures.importImages(svc.db, svc.storageDir, 3);
  imageId = ids[2]!; // labelled covid-19
  modelVersionId = await fixtures.registerFakeModel(svc.db, svc.modelsDir, "cam-roi");
  const covid = await svc.db.labelClass.findFirstOrThrow({
    where: { key: "covid-19", labelSet: { name: "cxr-4class" } },
  });
  covidIndex = covid.index;
  readerId = (await svc.db.user.create({ data: { email: "r@test", name: "Reader", role: "RADIOLOGIST" } }))
    .id;
  const read = await svc.db.read.create({
    data: {
      imageId,
      labelSetId: covid.labelSetId,
      classId: covid.id,
      readerId,
      annotations: {
        create: {
          imageId,
          authorId: readerId,
          shape: "RECTANGLE",
          // map pixels 8..11 x 6..9: around the covid-19 cone's centre when it is at x 8..11
          points: [
            [0.5, 0.375],
            [0.75, 0.625],
          ],
        },
      },
    },
  });
  readId = read.id;
});
afterAll(() => svc?.stop());

describe("Grad-CAM against readers' ROIs in the inference service", () => {
  it("scores a read's ROIs when the version stores a map of the read's class for its image", async () => {
    const done = await client.explain.mutate({ imageId, classKey: "covid-19", modelVersionId });
    expect(done.status).toBe("done");
    const rows = await svc.db.camRoiAgreement.findMany({ where: { readId } });
    expect(rows).toHaveLength(1);
    // the cone's share inside the box, by hand from the engine's formula
    let inside = 0;
    let total = 0;
    for (let y = 0; y < 16; y++)
      for (let x = 0; x < 16; x++) {
        const v = cone(covidIndex, x, y);
        total += v;
        if (x >= 8 && x < 12 && y >= 6 && y < 10) inside += v;
      }
    const cx = (covidIndex * 5 + 3) % 16;
    expect(rows[0]!.pointingStrict).toBe(cx >= 8 && cx < 12);
    expect(rows[0]!.pointingTolerant).toBe(true);
    expect(rows[0]!.energyInside).toBeCloseTo(inside / total, 3);
  });

  it("computes the guided variant for any class on demand once, and scores it too", async () => {
    const a = await client.explain.mutate({
      imageId,
      classKey: "covid-19",
      modelVersionId,
      method: "GUIDED_GRADCAM",
      actorId: readerId,
    });
    expect(a.map).toMatchObject({ classKey: "covid-19", method: "GUIDED_GRADCAM" });
    const again = await client.explain.mutate({
      imageId,
      classKey: "covid-19",
      modelVersionId,
      method: "GUIDED_GRADCAM",
      actorId: readerId,
    });
    expect(again.map!.mapSha256).toBe(a.map!.mapSha256);
    const maps = await svc.db.gradCamMap.findMany({
      where: { prediction: { imageId, modelVersionId }, labelClass: { key: "covid-19" } },
    });
    expect(maps.map((m) => m.method).sort()).toEqual(["GRADCAM", "GUIDED_GRADCAM"]);
    expect(await svc.db.camRoiAgreement.count({ where: { readId } })).toBe(2);
    // computed once: one audit event for the acting user
    expect(await svc.db.auditEvent.count({ where: { actorId: readerId, action: "gradcam.computed" } })).toBe(
      1,
    );
    // a map of another class is not scored against a covid-19 read
    await client.explain.mutate({ imageId, classKey: "normal", modelVersionId });
    expect(await svc.db.camRoiAgreement.count({ where: { readId } })).toBe(2);
  });

  it("refuses an inactive acting user and computes nothing", async () => {
    const gone = await svc.db.user.create({
      data: { email: "gone@test", name: "Gone", role: "RADIOLOGIST", active: false },
    });
    const before = await svc.db.gradCamMap.count();
    expect(
      await codeOf(
        client.explain.mutate({ imageId, classKey: "pneumonia", modelVersionId, actorId: gone.id }),
      ),
    ).toBe("UNAUTHORIZED");
    expect(await svc.db.gradCamMap.count()).toBe(before);
  });
});
