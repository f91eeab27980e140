import { type StoredRoi } from "@cxr/domain";
import { describe, expect, it } from "vitest";
import { maskToRois, rasterizeRois } from "../src/roi-mask";

/** Pixels at least half inside. */
const area = (data: Uint8Array) => data.reduce((n, v) => n + (v >= 128 ? 1 : 0), 0);
const at = (m: { width: number; data: Uint8Array }, x: number, y: number) => m.data[y * m.width + x] ?? -1;
const roi = (shape: StoredRoi["shape"], ...points: [number, number][]): StoredRoi => ({ shape, points });
/** The mask covers `expected` pixels, within 3%. */
const expectArea = (m: { data: Uint8Array }, expected: number) => {
  expect(area(m.data) / expected).toBeGreaterThan(0.97);
  expect(area(m.data) / expected).toBeLessThan(1.03);
};

describe("rasterizeRois", () => {
  it("fills a rectangle given by any two opposite corners, at the image's size", async () => {
    const m = await rasterizeRois([roi("RECTANGLE", [0.75, 0.5], [0.25, 0.25])], 200, 100);
    expect([m.width, m.height, m.data.length]).toEqual([200, 100, 20_000]);
    expect(area(m.data)).toBeCloseTo(100 * 25, -2);
    expect(at(m, 100, 40)).toBe(255);
    expect(at(m, 10, 10)).toBe(0);
    expect(at(m, 160, 40)).toBe(0);
  });

  it("fills ellipses and outlines (polygon, freehand) by their area", async () => {
    const ellipse = await rasterizeRois([roi("ELLIPSE", [0.1, 0.2], [0.5, 0.6])], 100, 100);
    expectArea(ellipse, Math.PI * 20 * 20);
    const triangle = await rasterizeRois([roi("FREEHAND", [0.1, 0.1], [0.9, 0.1], [0.1, 0.9])], 100, 100);
    expectArea(triangle, 0.5 * 80 * 80);
    expect(at(triangle, 80, 80)).toBe(0);
  });

  it("paints brush strokes at their width (a fraction of the image's width), round-capped", async () => {
    const m = await rasterizeRois([{ ...roi("BRUSH", [0.2, 0.5], [0.8, 0.5]), strokeWidth: 0.1 }], 200, 100);
    // a 120 x 20 band plus two half-discs of radius 10
    expectArea(m, 120 * 20 + Math.PI * 10 * 10);
    const dab = await rasterizeRois([{ shape: "BRUSH", points: [[0.5, 0.5]], strokeWidth: 0.2 }], 100, 100);
    expect(area(dab.data) / (Math.PI * 10 * 10)).toBeGreaterThan(0.9);
  });

  it("unites overlapping shapes, clips what lies outside the image, and gives zeros for none", async () => {
    const m = await rasterizeRois(
      [
        roi("RECTANGLE", [0, 0], [0.5, 0.5]),
        roi("RECTANGLE", [0.25, 0.25], [1.5, 0.5]),
        roi("POINT", [0.9, 0.9]),
      ],
      100,
      100,
    );
    // 50 x 50 and (clipped) 75 x 25 overlap on 25 x 25; the point is a disc of 3 pixels across
    const union = 50 * 50 + 75 * 25 - 25 * 25;
    expect(area(m.data)).toBeGreaterThanOrEqual(union + 4);
    expect(area(m.data)).toBeLessThanOrEqual(union + 12);
    expect(at(m, 90, 90)).toBe(255);
    const none = await rasterizeRois([], 30, 20);
    expect(area(none.data)).toBe(0);
    expect(none.data.length).toBe(600);
  });

  it("refuses a size that is not a positive integer", async () => {
    await expect(rasterizeRois([], 0, 10)).rejects.toThrow(/positive integer size/);
    await expect(rasterizeRois([], 10.5, 10)).rejects.toThrow(/positive integer size/);
  });
});

describe("maskToRois", () => {
  it("traces each region of a mask as a polygon that rasterises back to the mask", async () => {
    const [w, h] = [120, 80];
    // two separate regions: an ellipse and a rectangle
    const data = new Float32Array(w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const inEllipse = ((x - 30) / 20) ** 2 + ((y - 40) / 25) ** 2 <= 1;
        const inBox = x >= 70 && x < 110 && y >= 10 && y < 30;
        data[y * w + x] = inEllipse || inBox ? 1 : 0;
      }
    const rois = maskToRois({ width: w, height: h, data });
    expect(rois).toHaveLength(2);
    expect(
      rois.every(
        (r) => r.shape === "POLYGON" && r.points.every(([x, y]) => x >= 0 && x <= 1 && y >= 0 && y <= 1),
      ),
    ).toBe(true);
    const back = await rasterizeRois(rois, w, h);
    let both = 0;
    let either = 0;
    for (let i = 0; i < data.length; i++) {
      const a = (data[i] ?? 0) > 0.5;
      const b = (back.data[i] ?? 0) >= 128;
      if (a && b) both++;
      if (a || b) either++;
    }
    expect(both / either).toBeGreaterThan(0.95);
  });

  it("gives no ROI for an empty mask and refuses a mask of the wrong length", () => {
    expect(maskToRois({ width: 4, height: 4, data: new Float32Array(16) })).toEqual([]);
    expect(() => maskToRois({ width: 4, height: 4, data: new Float32Array(15) })).toThrow(/15 values/);
  });
});
