// The coloured overlay radiologists look at: jet colormap of the map blended over the grayscale image.
import { type GrayImage, type RgbImage } from "../image/gray-image";
import { resizeMap } from "./resize";

/** Matplotlib-style jet: blue (0) -> cyan -> yellow -> red (1). */
export function jet(value: number): [number, number, number] {
  const v = Math.min(1, Math.max(0, value));
  const channel = (offset: number) => Math.min(1, Math.max(0, 1.5 - Math.abs(4 * v - offset)));
  return [channel(3), channel(2), channel(1)];
}

/** Blends jet(map) over the image with the given opacity (0..1); the map is resized to the image. */
export function overlay(image: GrayImage, map: GrayImage, opacity = 0.4): RgbImage {
  if (!(opacity >= 0 && opacity <= 1)) throw new Error("opacity must be between 0 and 1");
  const m = resizeMap(map, image.width, image.height);
  const out = new Uint8Array(image.width * image.height * 3);
  for (let i = 0; i < image.data.length; i++) {
    const g = Math.min(1, Math.max(0, image.data[i] ?? 0));
    const c = jet(m.data[i] ?? 0);
    for (let ch = 0; ch < 3; ch++)
      out[i * 3 + ch] = Math.round(255 * ((1 - opacity) * g + opacity * (c[ch] ?? 0)));
  }
  return { width: image.width, height: image.height, data: out };
}
