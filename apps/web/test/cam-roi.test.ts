// Grad-CAM against readers' ROIs in the web app, over a real PostgreSQL: a read saved with an ROI stores its
// figures against the case's map of its class (hand-computed), once; the audit page's per-class figures and its
// "right for the wrong reason" queue; the on-demand map returns a stored map and refuses who may not see it.
// The map (10 x 10): 1 at (2, 2), 0.5 at (3, 2) and at (7, 7); the image is 256 px wide (25.6 px per map pixel).
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { encodeMasterPng } from "@cxr/imaging";
import { LocalStorage } from "@cxr/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stubAppEnv } from "./env";
import { callerAs, codeOf, sessionFor, useSeededDatabase } from "./helpers";
import { createReviewFixture, type ReviewFixture } from "./review-fixtures";

const dir = mkdtempSync(path.join(os.tmpdir(), "cxr-camroi-"));
// the app's storage (getStorage) is this folder: the fixture's maps are where the submit looks for them
stubAppEnv({ STORAGE_URL: dir });
const { scoreSavedRead } = await import("~/server/services/cam-roi/score");

const t = useSeededDatabase();
let fx: ReviewFixture;
let imageId: string;
let mapId: string;
let classId: string;
const storage = new LocalStorage(dir);

beforeAll(async () => {
  fx = await createReviewFixture(t.db, storage, { count: 1, tag: "camroi" });
  imageId = fx.imageIds[0]!;
  const prediction = await t.db.prediction.findFirstOrThrow({ where: { imageId } });
  classId = prediction.predictedClassId;
  const data = new Uint16Array(100);
  data[22] = 65535;
  data[23] = 32768;
  data[77] = 32768;
  const png = await encodeMasterPng({ width: 10, height: 10, data });
  const put = await storage.put(png);
  const map = await t.db.gradCamMap.findFirstOrThrow({ where: { predictionId: prediction.id, classId } });
  mapId = map.id;
  await t.db.gradCamMap.update({
    where: { id: map.id },
    data: { mapSha256: put.sha256, width: 10, height: 10 },
  });
  await t.db.modelVersion.update({ where: { id: fx.modelVersionId }, data: { targetLayer: "conv4" } });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const radiologist = () => callerAs(t.db, sessionFor(t.users.radiologist));

describe("Grad-CAM against a saved read's ROIs", () => {
  let readId = "";
  it("stores the pointing game and energy inside when a read with an ROI is saved", async () => {
    const saved = await radiologist().review.submit({
      imageId,
      labelSetId: fx.labelSetId,
      baseReadId: null,
      classId,
      predictionId: null,
      durationMs: 1000,
      // map pixels 6..8 on both axes: holds (7, 7), a quarter of the energy; the maximum (2, 2) is ~145 px away
      rois: [
        {
          shape: "RECTANGLE",
          classId: null,
          points: [
            [0.6, 0.6],
            [0.9, 0.9],
          ],
        },
      ],
    });
    readId = saved.readId;
    const rows = await t.db.camRoiAgreement.findMany({ where: { readId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      gradCamMapId: mapId,
      classId,
      pointingStrict: false,
      pointingTolerant: false,
    });
    expect(rows[0]!.energyInside).toBeCloseTo(0.25, 4);
    // the viewer gets the figures with the map
    const view = await radiologist().review.case({ imageId });
    const shown = view.prediction?.maps.find((m) => m.id === mapId);
    expect(shown?.camRoiAgreements).toHaveLength(1);
    expect(shown?.camRoiAgreements[0]?.read.reader?.name).toBe(t.users.radiologist.name);
  });

  it("is idempotent: scoring the read again stores nothing more", async () => {
    expect(await scoreSavedRead(t.db, () => storage, readId)).toBe(0);
    expect(await t.db.camRoiAgreement.count({ where: { readId } })).toBe(1);
  });

  it("gives the audit page per-class figures and the right-for-the-wrong-reason queue", async () => {
    const filter = { modelVersionId: fx.modelVersionId, scope: "reviewed" as const };
    const summary = await radiologist().audit.camRoi(filter);
    expect(summary.classes).toEqual([
      expect.objectContaining({ pairs: 1, cases: 1, pointingStrict: 0, pointingTolerant: 0, wrongReason: 1 }),
    ]);
    expect(summary.classes[0]!.meanEnergyInside).toBeCloseTo(0.25, 4);
    const queue = await radiologist().review.queue({ limit: 5, audit: { kind: "wrongReason", ...filter } });
    expect(queue.entries.map((e) => e.imageId)).toEqual([imageId]);
  });
});

describe("Grad-CAM on demand", () => {
  it("returns the stored map of a class and variant without computing it again", async () => {
    const input = { imageId, modelVersionId: fx.modelVersionId, classId, method: "GRADCAM" as const };
    expect(await radiologist().review.explainMap(input)).toEqual({
      status: "done",
      mapId,
      model: expect.stringContaining("v"),
    });
  });

  it("refuses an annotator outside their assignments and a class of another label set", async () => {
    const input = { imageId, modelVersionId: fx.modelVersionId, classId, method: "GUIDED_GRADCAM" as const };
    const annotator = callerAs(t.db, sessionFor(t.users.annotator));
    expect(await codeOf(annotator.review.explainMap(input))).toBe("FORBIDDEN");
    expect(await codeOf(radiologist().review.explainMap({ ...input, classId: "no-such-class" }))).toBe(
      "BAD_REQUEST",
    );
    expect(await t.db.gradCamMap.count({ where: { method: "GUIDED_GRADCAM" } })).toBe(0);
  });
});
