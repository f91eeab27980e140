// Grad-CAM against readers' ROIs, hand-computed on a 10 x 10 map: the ROIs rasterised at the map's resolution,
// the pointing game strict and with 15 px of the image, and the share of the map's energy inside.
import { type StoredRoi } from "@cxr/domain";
import { describe, expect, it } from "vitest";
import { scoreCamAgainstRois, scoreCamPlane } from "../src/cam-roi";
import { encodeMasterPng } from "../src/derivatives";
import { rasterizeRois } from "../src/roi-mask";

/** 10 x 10: 1 at (2, 2), 0.5 at (3, 2) and at (7, 7); total energy 2. */
function map() {
  const data = new Float32Array(100);
  data[2 * 10 + 2] = 1;
  data[2 * 10 + 3] = 0.5;
  data[7 * 10 + 7] = 0.5;
  return { width: 10, height: 10, data };
}
const box = (x0: number, y0: number, x1: number, y1: number): StoredRoi => ({
  shape: "RECTANGLE",
  points: [
    [x0, y0],
    [x1, y1],
  ],
});

describe("scoreCamPlane", () => {
  it("rasterises a box at the map's resolution: the maximum inside, 1.5 of 2 energy inside", async () => {
    // corners at map pixels 1 and 4: pixels 1..3 on both axes, holding (2, 2) and (3, 2)
    const mask = await rasterizeRois([box(0.1, 0.1, 0.4, 0.4)], 10, 10);
    expect(mask.data.filter((v) => v > 127).length).toBe(9);
    expect(scoreCamPlane(map(), mask, { width: 100, height: 100 })).toEqual({
      pointingStrict: true,
      pointingTolerant: true,
      energyInside: 0.75,
    });
  });

  it("counts the 15 px tolerance in the image's pixels, per axis", async () => {
    // pixels 5..7 x 1..3: the maximum at (2, 2) is 3 map pixels left of the box, none of the energy inside
    const mask = await rasterizeRois([box(0.5, 0.1, 0.8, 0.4)], 10, 10);
    // 1000 px wide: 3 map pixels are 300 image pixels
    expect(scoreCamPlane(map(), mask, { width: 1000, height: 1000 })).toEqual({
      pointingStrict: false,
      pointingTolerant: false,
      energyInside: 0,
    });
    // 40 px wide (4 per map pixel): 12 px, within 15, whatever the height
    expect(scoreCamPlane(map(), mask, { width: 40, height: 2000 })?.pointingTolerant).toBe(true);
    // 60 px wide: 18 px, outside
    expect(scoreCamPlane(map(), mask, { width: 60, height: 40 })?.pointingTolerant).toBe(false);
  });

  it("scores brush strokes and ellipses as filled areas; an ROI under half a map pixel cannot be scored", async () => {
    const brush = await rasterizeRois(
      [
        {
          shape: "BRUSH",
          points: [
            [0, 0.25],
            [1, 0.25],
          ],
          strokeWidth: 0.2,
        },
      ],
      10,
      10,
    );
    // a band over rows 1 and 2: (2, 2) and (3, 2) inside, (7, 7) outside
    expect(scoreCamPlane(map(), brush, { width: 10, height: 10 })?.energyInside).toBe(0.75);
    const ellipse = await rasterizeRois(
      [
        {
          shape: "ELLIPSE",
          points: [
            [0.6, 0.6],
            [0.9, 0.9],
          ],
        },
      ],
      10,
      10,
    );
    // 100 image px per map pixel: the maximum is far outside
    expect(scoreCamPlane(map(), ellipse, { width: 1000, height: 1000 })).toEqual({
      pointingStrict: false,
      pointingTolerant: false,
      energyInside: 0.25,
    });
    const speck = await rasterizeRois([box(0.51, 0.51, 0.52, 0.52)], 10, 10);
    expect(scoreCamPlane(map(), speck, { width: 10, height: 10 })).toBeNull();
  });
});

describe("scoreCamAgainstRois", () => {
  it("reads a stored 16-bit map and gives the same figures", async () => {
    const m = map();
    const png = await encodeMasterPng({
      width: 10,
      height: 10,
      data: Uint16Array.from(m.data, (v) => Math.round(v * 65535)),
    });
    const figures = await scoreCamAgainstRois(png, [box(0.1, 0.1, 0.4, 0.4)], { width: 100, height: 100 });
    expect(figures?.pointingStrict).toBe(true);
    expect(figures?.energyInside).toBeCloseTo(0.75, 4);
  });
});
