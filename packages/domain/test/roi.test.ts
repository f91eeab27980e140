import { describe, expect, it } from "vitest";
import { draftRoiSchema, roiSchema, storedRoiSchema } from "../src";

describe("roiSchema (a submitted region)", () => {
  it("accepts a box, an outline and a brush stroke", () => {
    expect(
      roiSchema.parse({
        shape: "RECTANGLE",
        classId: null,
        points: [
          [0.1, 0.1],
          [0.2, 0.3],
        ],
      }).strokeWidth,
    ).toBe(null);
    expect(
      roiSchema.safeParse({
        shape: "POLYGON",
        classId: "c",
        points: [
          [0, 0],
          [1, 0],
          [1, 1],
        ],
      }).success,
    ).toBe(true);
    expect(
      roiSchema.safeParse({
        shape: "BRUSH",
        classId: null,
        points: [
          [0.5, 0.5],
          [0.5, 0.5],
        ],
        strokeWidth: 0.02,
      }).success,
    ).toBe(true);
  });

  it("refuses points off the image, a two-point outline, a three-corner box and a widthless stroke", () => {
    const bad = [
      {
        shape: "RECTANGLE",
        classId: null,
        points: [
          [0, 0],
          [1.2, 0.5],
        ],
      },
      {
        shape: "POLYGON",
        classId: null,
        points: [
          [0, 0],
          [1, 1],
        ],
      },
      {
        shape: "ELLIPSE",
        classId: null,
        points: [
          [0, 0],
          [0.5, 0.5],
          [1, 1],
        ],
      },
      {
        shape: "BRUSH",
        classId: null,
        points: [
          [0, 0],
          [0.1, 0.1],
        ],
      },
      {
        shape: "RECTANGLE",
        classId: null,
        points: [
          [0, 0],
          [0.1, 0.1],
        ],
        strokeWidth: 0.1,
      },
      {
        shape: "POINT",
        classId: null,
        points: [
          [0, 0],
          [0.1, 0.1],
        ],
      },
    ];
    for (const roi of bad) expect(roiSchema.safeParse(roi).success, JSON.stringify(roi)).toBe(false);
  });
});

describe("draftRoiSchema and storedRoiSchema", () => {
  it("a draft region carries the viewer's id", () => {
    expect(draftRoiSchema.safeParse({ shape: "FREEHAND", classId: null, points: [] }).success).toBe(false);
    expect(draftRoiSchema.parse({ id: "roi-1", shape: "FREEHAND", classId: null, points: [] }).id).toBe(
      "roi-1",
    );
  });

  it("stored regions are read leniently (imported points) but must have finite coordinates", () => {
    expect(storedRoiSchema.safeParse({ shape: "POINT", points: [[3, 4]] }).success).toBe(true);
    expect(storedRoiSchema.safeParse({ shape: "POINT", points: [[Number.NaN, 4]] }).success).toBe(false);
    expect(storedRoiSchema.safeParse({ shape: "POINT", points: [] }).success).toBe(false);
  });
});
