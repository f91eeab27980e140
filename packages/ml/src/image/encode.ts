// PNG writers: 8-bit grayscale (phantoms, masks), 16-bit grayscale (raw Grad-CAM maps), RGB (overlays).
import { writeFile } from "node:fs/promises";
import { PNG } from "pngjs";
import sharp from "sharp";
import { type GrayImage, type RgbImage } from "./gray-image";

function to8(image: GrayImage): Buffer {
  const out = Buffer.alloc(image.data.length);
  for (let i = 0; i < out.length; i++)
    out[i] = Math.round(Math.min(1, Math.max(0, image.data[i] ?? 0)) * 255);
  return out;
}

export function encodeGray8(image: GrayImage): Promise<Buffer> {
  return sharp(to8(image), { raw: { width: image.width, height: image.height, channels: 1 } })
    .png()
    .toBuffer();
}

/** 16-bit grayscale PNG; pngjs takes 16-bit samples in the machine's (little-endian) order. */
export function encodeGray16(image: GrayImage): Buffer {
  const png = new PNG({
    width: image.width,
    height: image.height,
    colorType: 0,
    bitDepth: 16,
    inputHasAlpha: false,
  });
  const data = Buffer.alloc(image.data.length * 2);
  for (let i = 0; i < image.data.length; i++) {
    data.writeUInt16LE(Math.round(Math.min(1, Math.max(0, image.data[i] ?? 0)) * 65535), i * 2);
  }
  png.data = data;
  return PNG.sync.write(png, { colorType: 0, bitDepth: 16, inputColorType: 0, inputHasAlpha: false });
}

export function encodeRgb(image: RgbImage): Promise<Buffer> {
  return sharp(Buffer.from(image.data), { raw: { width: image.width, height: image.height, channels: 3 } })
    .png()
    .toBuffer();
}

export async function writePng(path: string, bytes: Uint8Array): Promise<void> {
  try {
    await writeFile(path, bytes);
  } catch {
    throw new Error(`cannot write ${path}`);
  }
}
