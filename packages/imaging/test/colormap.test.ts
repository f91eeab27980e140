// The heat-map colormaps shared by the viewer and the CLI: jet is MATLAB's, inferno is d3's (matplotlib's),
// grey is the identity, and colorize applies the threshold as transparency.
import { lab, rgb } from "d3-color";
import { describe, expect, it } from "vitest";
import { colorize, colormapLut, colormaps, mapLevel } from "../src/colormap";

/** MATLAB's jet as a formula (each channel a clipped tent), independent of the interpolated control colours. */
function matlabJet(x: number): [number, number, number] {
  const tent = (centre: number) => Math.min(1, Math.max(0, 1.5 - Math.abs(4 * x - centre)));
  return [tent(3), tent(2), tent(1)];
}

describe("colormapLut", () => {
  it("has 256 RGB entries for every colormap", () => {
    for (const name of colormaps) expect(colormapLut(name)).toHaveLength(768);
  });

  it("jet runs dark blue -> blue -> cyan -> yellow -> red -> dark red, within one level of MATLAB's jet", () => {
    const lut = colormapLut("jet");
    expect([...lut.subarray(0, 3)]).toEqual([0, 0, 128]);
    expect([...lut.subarray(765, 768)]).toEqual([128, 0, 0]);
    for (let v = 0; v < 256; v++) {
      const expected = matlabJet(v / 255).map((c) => 255 * c);
      for (let ch = 0; ch < 3; ch++)
        expect(Math.abs(lut[v * 3 + ch]! - expected[ch]!)).toBeLessThanOrEqual(1);
    }
  });

  it("inferno runs from near black to pale yellow, lighter at every level", () => {
    const lut = colormapLut("inferno");
    expect([...lut.subarray(0, 3)]).toEqual([0, 0, 4]);
    expect([...lut.subarray(765, 768)]).toEqual([252, 255, 164]);
    // perceptual lightness (CIELAB L*) rises with the value: the point of inferno over jet
    const lightness = (v: number) => lab(rgb(lut[v * 3]!, lut[v * 3 + 1]!, lut[v * 3 + 2]!)).l;
    for (let v = 1; v < 256; v++) expect(lightness(v)).toBeGreaterThan(lightness(v - 1));
  });

  it("grey is the identity", () => {
    const lut = colormapLut("grey");
    for (let v = 0; v < 256; v++) expect([...lut.subarray(v * 3, v * 3 + 3)]).toEqual([v, v, v]);
  });
});

describe("colorize", () => {
  it("colours the map's grey level in place and makes levels under the threshold transparent", () => {
    const rgba = new Uint8ClampedArray([0, 0, 0, 255, 100, 100, 100, 255, 255, 255, 255, 255]);
    colorize(rgba, "jet", 0.5);
    const jet = colormapLut("jet");
    expect([...rgba]).toEqual([
      ...jet.subarray(0, 3),
      0,
      ...jet.subarray(300, 303),
      0,
      ...jet.subarray(765, 768),
      255,
    ]);
  });
});

describe("mapLevel", () => {
  it("is the map value's 8-bit level, clipped, with NaN as 0", () => {
    expect([0, 0.5, 1, -1, 2, Number.NaN].map(mapLevel)).toEqual([0, 128, 255, 0, 255, 0]);
  });
});
