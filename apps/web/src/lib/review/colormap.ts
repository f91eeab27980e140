// Heat-map colouring: a 256-entry lookup per colormap, applied with a threshold (below it: transparent).
export const colormaps = ["jet", "inferno", "grey"] as const;
export type Colormap = (typeof colormaps)[number];

type Stop = [number, number, number, number];
const stops: Record<Colormap, Stop[]> = {
  jet: [
    [0, 0, 0, 128],
    [0.125, 0, 0, 255],
    [0.375, 0, 255, 255],
    [0.625, 255, 255, 0],
    [0.875, 255, 0, 0],
    [1, 128, 0, 0],
  ],
  inferno: [
    [0, 0, 0, 4],
    [0.25, 87, 16, 110],
    [0.5, 188, 55, 84],
    [0.75, 249, 142, 9],
    [1, 252, 255, 164],
  ],
  grey: [
    [0, 0, 0, 0],
    [1, 255, 255, 255],
  ],
};

const luts = new Map<Colormap, Uint8Array>();

/** RGB triples for values 0..255. */
export function colormapLut(name: Colormap): Uint8Array {
  const cached = luts.get(name);
  if (cached) return cached;
  const lut = new Uint8Array(256 * 3);
  const s = stops[name];
  for (let v = 0; v < 256; v++) {
    const x = v / 255;
    let i = 0;
    while (i < s.length - 2 && x > s[i + 1]![0]) i++;
    const [x0, r0, g0, b0] = s[i]!;
    const [x1, r1, g1, b1] = s[i + 1]!;
    const f = x1 === x0 ? 0 : Math.min(1, Math.max(0, (x - x0) / (x1 - x0)));
    lut[v * 3] = Math.round(r0 + (r1 - r0) * f);
    lut[v * 3 + 1] = Math.round(g0 + (g1 - g0) * f);
    lut[v * 3 + 2] = Math.round(b0 + (b1 - b0) * f);
  }
  luts.set(name, lut);
  return lut;
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
