// The package's in-memory image: one float channel in [0, 1], row-major.
export interface GrayImage {
  width: number;
  height: number;
  data: Float32Array;
}

export function grayImage(width: number, height: number, fill = 0): GrayImage {
  return { width, height, data: new Float32Array(width * height).fill(fill) };
}

/** An RGB image, 8 bits per channel, interleaved (what overlays are). */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}
