// The CLI's overlay colours a map exactly as the browser's viewer does: both read @cxr/imaging/colormap's
// lookup table, the CLI from the float map, the viewer from the map's PNG.
import { colorize, colormaps } from "@cxr/imaging/colormap";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { overlay } from "../src/gradcam/overlay";
import { encodeGray8 } from "../src/image/encode";
import { type GrayImage } from "../src/image/gray-image";

describe("overlay", () => {
  it("blends the colormap over the image at the given opacity", () => {
    const img = { width: 2, height: 1, data: Float32Array.from([1, 0]) };
    const o = overlay(img, { width: 2, height: 1, data: Float32Array.from([0, 1]) }, 0.5);
    // white under jet's dark blue (0,0,128), black under its dark red (128,0,0), half and half
    expect(Array.from(o.data)).toEqual([128, 128, 192, 64, 0, 0]);
    expect(() => overlay(img, img, 2)).toThrow(/opacity/);
  });

  it("gives the browser's colours for the same map values, for every colormap", async () => {
    // every 8-bit level, then values between levels and outside [0, 1]
    const values = [
      ...Array.from({ length: 256 }, (_, v) => v / 255),
      0.1234,
      0.5,
      0.50196,
      0.9999,
      -0.2,
      1.7,
    ];
    const map: GrayImage = { width: values.length, height: 1, data: Float32Array.from(values) };
    const image: GrayImage = {
      width: values.length,
      height: 1,
      data: new Float32Array(values.length).fill(0.3),
    };
    // what the viewer gets: the map's PNG decoded to RGBA (as a canvas does), coloured in place
    const decoded = await sharp(await encodeGray8(map))
      .ensureAlpha()
      .raw()
      .toBuffer();
    for (const name of colormaps) {
      const rgba = new Uint8ClampedArray(decoded);
      colorize(rgba, name, 0);
      const browser = Array.from({ length: values.length }, (_, i) => [...rgba.subarray(i * 4, i * 4 + 3)]);
      const cli = overlay(image, map, 1, name);
      const cliColours = Array.from({ length: values.length }, (_, i) => [
        ...cli.data.subarray(i * 3, i * 3 + 3),
      ]);
      expect(cliColours, name).toEqual(browser);
    }
  });
});
