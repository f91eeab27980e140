// The coloured overlay radiologists look at: the map's colormap blended over the grayscale image, with the
// same lookup table as the browser's viewer (@cxr/imaging/colormap), so the CLI and the viewer agree.
import { colormapLut, mapLevel, type Colormap } from "@cxr/imaging/colormap";
import { type GrayImage, type RgbImage } from "../image/gray-image";
import { resizeMap } from "./resize";

/** Blends colormap(map) over the image with the given opacity (0..1); the map is resized to the image. */
export function overlay(
  image: GrayImage,
  map: GrayImage,
  opacity = 0.4,
  colormap: Colormap = "jet",
): RgbImage {
  if (!(opacity >= 0 && opacity <= 1)) throw new Error("opacity must be between 0 and 1");
  const m = resizeMap(map, image.width, image.height);
  const lut = colormapLut(colormap);
  const out = new Uint8Array(image.width * image.height * 3);
  for (let i = 0; i < image.data.length; i++) {
    const g = 255 * Math.min(1, Math.max(0, image.data[i] ?? 0));
    const level = mapLevel(m.data[i] ?? 0);
    for (let ch = 0; ch < 3; ch++)
      out[i * 3 + ch] = Math.round((1 - opacity) * g + opacity * (lut[level * 3 + ch] ?? 0));
  }
  return { width: image.width, height: image.height, data: out };
}
