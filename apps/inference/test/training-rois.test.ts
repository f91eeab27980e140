// Readers' regions of interest reach training: the ROIs on the reads behind each chosen label become masks, and
// a full fine-tuning run reports how many training images they guided. Real PostgreSQL, the fake engine.
import type { StoredRoi as RoiOutline } from "@cxr/domain";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createInferenceClient } from "@cxr/inference-api/client";
import { labelRows, loadLabelled, roiMaskMaxSide, roiMask } from "../src/training/dataset";
import { importImages, startTestService, TOKEN, type TestService } from "./fixtures/service";

let svc: TestService;
let imageIds: string[];
let labelSetId: string;
let classIds: Map<string, string>;
let readerId: string;

beforeAll(async () => {
  svc = await startTestService(inject("testDatabaseAdminUrl"));
  imageIds = await importImages(svc.db, svc.storageDir, 9);
  const labelSet = await svc.db.labelSet.findUniqueOrThrow({
    where: { name: "cxr-4class" },
    include: { classes: true },
  });
  labelSetId = labelSet.id;
  classIds = new Map(labelSet.classes.map((c) => [c.key, c.id]));
  readerId = (
    await svc.db.user.create({
      data: { email: "roi-reader@cxr.local", name: "ROI reader", role: "RADIOLOGIST" },
    })
  ).id;
});
afterAll(() => svc?.stop());

const box: RoiOutline = {
  shape: "RECTANGLE",
  points: [
    [0.25, 0.25],
    [0.75, 0.75],
  ],
};

async function readWith(
  imageIndex: number,
  classKey: string,
  annotations: {
    shape: RoiOutline["shape"];
    points: unknown;
    strokeWidth?: number | null;
    classKey?: string;
    deleted?: boolean;
  }[],
  supersedesId?: string,
) {
  const imageId = imageIds[imageIndex]!;
  const read = await svc.db.read.create({
    data: {
      imageId,
      labelSetId,
      classId: classIds.get(classKey)!,
      source: "READER",
      readerId,
      ...(supersedesId ? { supersedesId } : {}),
    },
  });
  for (const a of annotations)
    await svc.db.annotation.create({
      data: {
        imageId,
        readId: read.id,
        authorId: readerId,
        shape: a.shape,
        points: a.points as object,
        strokeWidth: a.strokeWidth ?? null,
        classId: a.classKey ? classIds.get(a.classKey)! : null,
        deletedAt: a.deleted ? new Date() : null,
      },
    });
  return read;
}

describe("ROIs in the training set", () => {
  it("takes the ROIs of the current reads that gave the chosen label, and nothing else", async () => {
    // images 0..8 were imported as normal, pneumonia, covid-19, normal, ...
    await readWith(1, "pneumonia", [box]);
    // an ROI naming another class, and a deleted one
    await readWith(2, "covid-19", [
      { ...box, classKey: "pneumonia" },
      { ...box, deleted: true },
    ]);
    // the ROI sits on a read that a later read superseded
    const old = await readWith(4, "pneumonia", [box]);
    await readWith(4, "pneumonia", [], old.id);
    // a brush stroke is kept, a shape whose points no longer parse is skipped
    await readWith(5, "covid-19", [
      {
        shape: "BRUSH",
        points: [
          [0.1, 0.5],
          [0.9, 0.5],
        ],
        strokeWidth: 0.25,
      },
      { shape: "POLYGON", points: "oops" },
    ]);
    // the reader disagrees with the imported label: the ROI belongs to the reader's class, which is chosen
    await readWith(7, "covid-19", [box]);

    const rows = await labelRows(svc.db, labelSetId, ["CORRECTED", "IMPORTED"]);
    const byImage = new Map(rows.map((r) => [r.imageId, r]));
    const shapes = (i: number) => byImage.get(imageIds[i]!)!.rois.map((r) => r.shape);
    expect(shapes(1)).toEqual(["RECTANGLE"]);
    expect(shapes(2)).toEqual([]);
    expect(shapes(4)).toEqual([]);
    expect(shapes(5)).toEqual(["BRUSH"]);
    expect(shapes(7)).toEqual(["RECTANGLE"]);
    expect(byImage.get(imageIds[7]!)!.classKey).toBe("covid-19");
    expect(shapes(0)).toEqual([]);

    // with IMPORTED only, image 7 keeps its imported label, and the reader's ROI for another class stays out;
    // image 1's ROI agrees with its imported label and comes along
    const imported = new Map((await labelRows(svc.db, labelSetId, ["IMPORTED"])).map((r) => [r.imageId, r]));
    expect(imported.get(imageIds[7]!)!.classKey).toBe("pneumonia");
    expect(imported.get(imageIds[7]!)!.rois).toEqual([]);
    expect(imported.get(imageIds[1]!)!.rois.map((r) => r.shape)).toEqual(["RECTANGLE"]);

    const loaded = await loadLabelled(
      { storage: svc.service.deps.storage },
      [1, 0, 5].map((i) => byImage.get(imageIds[i]!)!),
    );
    const [withBox, without, withBrush] = loaded;
    const mean = (d: Float32Array) => d.reduce((a, b) => a + b, 0) / d.length;
    expect([withBox!.roiMask!.width, withBox!.roiMask!.height]).toEqual([16, 16]);
    expect(mean(withBox!.roiMask!.data)).toBeCloseTo(0.25, 2);
    expect(without!.roiMask).toBeUndefined();
    // a 12.8 x 4 pixel band with round caps on a 16 x 16 image
    expect(mean(withBrush!.roiMask!.data)).toBeGreaterThan(0.2);
    expect(mean(withBrush!.roiMask!.data)).toBeLessThan(0.3);
  });

  it("draws masks of large images at a bounded size, keeping the aspect ratio", async () => {
    const mask = (await roiMask([box], { width: 3000, height: 1500 }))!;
    expect([mask.width, mask.height]).toEqual([roiMaskMaxSide, roiMaskMaxSide / 2]);
    expect(await roiMask([], { width: 10, height: 10 })).toBeUndefined();
  });

  it("reports how many training images ROIs guided in a full training run", async () => {
    const client = createInferenceClient({ url: svc.url, token: TOKEN });
    const started = await client.training.start.mutate({
      labelSet: "cxr-4class",
      epochs: 1,
      // no champion to fine-tune from here: full training from scratch
      mode: "FROM_SCRATCH",
      labelSources: ["CORRECTED", "IMPORTED"],
    });
    const deadline = Date.now() + 30_000;
    let run = await svc.db.trainingRun.findUniqueOrThrow({ where: { id: started.id } });
    while (!["SUCCEEDED", "FAILED"].includes(run.status) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      run = await svc.db.trainingRun.findUniqueOrThrow({ where: { id: started.id } });
    }
    expect(run.status, run.error ?? "").toBe("SUCCEEDED");
    const guidedImages = new Set([1, 5, 7].map((i) => imageIds[i]!));
    const trainImages = await svc.db.image.findMany({
      where: { id: { in: [...guidedImages] }, study: { patient: { split: "TRAIN" } } },
    });
    expect(trainImages.length).toBeGreaterThan(0);
    expect((run.progress as { roiGuidedImages?: number }).roiGuidedImages).toBe(trainImages.length);
  });
});
