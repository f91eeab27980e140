// Heat-map colouring of Grad-CAM maps, the one source for the browser's overlay and the CLI's overlay PNG:
// each colormap is a d3 interpolator sampled into a 256-entry lookup table, indexed by the map's 8-bit value.
// It imports no Node module: the browser bundle loads this file (`@cxr/imaging/colormap`).
import { rgb } from "d3-color";
import { interpolateRgb, piecewise } from "d3-interpolate";
import { interpolateInferno } from "d3-scale-chromatic";

export const colormaps = ["jet", "inferno", "grey"] as const;
export type Colormap = (typeof colormaps)[number];

const interpolators: Record<Colormap, (t: number) => string> = {
  // d3-scale-chromatic has no jet (it offers turbo as its successor). MATLAB's jet is linear in RGB between
  // these nine colours, one every 1/8: dark blue, blue, cyan, yellow, red, dark red.
  jet: piecewise(interpolateRgb, [
    "#000080",
    "#0000ff",
    "#0080ff",
    "#00ffff",
    "#80ff80",
    "#ffff00",
    "#ff8000",
    "#ff0000",
    "#800000",
  ]),
  inferno: interpolateInferno,
  grey: interpolateRgb("#000000", "#ffffff"),
};

const luts = new Map<Colormap, Uint8Array>();

/** RGB triples for the values 0..255 (768 bytes). */
export function colormapLut(name: Colormap): Uint8Array {
  const cached = luts.get(name);
  if (cached) return cached;
  const lut = new Uint8Array(256 * 3);
  for (let v = 0; v < 256; v++) {
    const { r, g, b } = rgb(interpolators[name](v / 255));
    lut.set([r, g, b], v * 3);
  }
  luts.set(name, lut);
  return lut;
}

/** The 8-bit level of a map value in [0, 1] (values outside are clipped, NaN is 0), the LUT's index. */
export function mapLevel(value: number): number {
  return Math.round(Math.min(1, Math.max(0, value)) * 255) || 0;
}

/**
 * Colours a grey map in place: `rgba` holds the decoded map (grey in R), and comes out coloured, with
 * values under `threshold` (0..1) fully transparent.
 */
export function colorize(rgba: Uint8ClampedArray, name: Colormap, threshold: number): void {
  const lut = colormapLut(name);
  const cut = Math.round(threshold * 255);
  for (let i = 0; i < rgba.length; i += 4) {
    const v = rgba[i]!;
    rgba[i] = lut[v * 3]!;
    rgba[i + 1] = lut[v * 3 + 1]!;
    rgba[i + 2] = lut[v * 3 + 2]!;
    rgba[i + 3] = v < cut ? 0 : 255;
  }
}
