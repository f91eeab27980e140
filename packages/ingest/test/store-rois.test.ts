// A source's regions of interest (a data set's masks or boxes) arrive with its label: annotations of the IMPORT
// read, without an author, once per image however often the image is imported again.
import { makePng } from "@cxr/imaging/testing";
import { type StoredRoi } from "@cxr/domain";
import { prepareImage } from "@cxr/imaging";
import { describe, expect, it } from "vitest";
import { loadLabelSet } from "../src/labels";
import { storeImage } from "../src/store-image";
import { setUpForFile } from "./helpers";

const env = setUpForFile();

const rois: StoredRoi[] = [
  {
    shape: "POLYGON",
    points: [
      [0.1, 0.1],
      [0.4, 0.1],
      [0.25, 0.4],
    ],
  },
  {
    shape: "RECTANGLE",
    points: [
      [0.6, 0.6],
      [0.9, 0.8],
    ],
  },
];

describe("storeImage with regions of interest", () => {
  it("stores them on the import read, with the label's class and no author, and not again for a duplicate", async () => {
    const labelSet = await loadLabelSet(env.t.db, "cxr-4class");
    const classId = labelSet.classes.get("pneumonia")!;
    const request = async () => ({
      prepared: await prepareImage(await makePng(64, 64, 3), "lesion.png"),
      patient: { source: "FOLDER" as const, externalId: "roi-patient" },
      study: { key: "roi-study" },
      image: { source: "FOLDER" as const, modality: "DX" as const },
      label: { labelSetId: labelSet.id, classId, rois },
    });
    const first = await storeImage(env.ctx, await request());
    expect(first.status).toBe("IMPORTED");
    const read = await env.t.db.read.findFirstOrThrow({
      where: { imageId: first.imageIds[0], source: "IMPORT" },
    });
    const stored = await env.t.db.annotation.findMany({
      where: { readId: read.id },
      orderBy: { shape: "asc" },
    });
    expect(stored.map((a) => [a.shape, a.points, a.authorId, a.classId])).toEqual([
      ["RECTANGLE", rois[1]!.points, null, classId],
      ["POLYGON", rois[0]!.points, null, classId],
    ]);

    const again = await storeImage(env.ctx, await request());
    expect(again).toMatchObject({ status: "DUPLICATE", imageIds: first.imageIds });
    expect(await env.t.db.annotation.count({ where: { imageId: first.imageIds[0] } })).toBe(2);
    expect(await env.t.db.read.count({ where: { imageId: first.imageIds[0] } })).toBe(1);
  });
});
