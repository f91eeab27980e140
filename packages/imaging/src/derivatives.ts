// What is stored besides the original: a lossless 16-bit grey PNG master and a small 8-bit PNG preview.
import sharp from "sharp";
import type { Grey16, Grey8 } from "./grey";

export const PREVIEW_MAX_SIDE = 512;

export async function encodeMasterPng(image: Grey16): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } })
    .toColourspace("grey16")
    .png({ compressionLevel: 6 })
    .toBuffer();
}

export async function encodeGrey8Png(image: Grey8): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } })
    .toColourspace("b-w")
    .png({ compressionLevel: 6 })
    .toBuffer();
}

/** Shrinks to fit PREVIEW_MAX_SIDE (never enlarges). */
export async function encodePreviewPng(image: Grey8, maxSide = PREVIEW_MAX_SIDE): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } })
    .resize({ width: maxSide, height: maxSide, fit: "inside", withoutEnlargement: true, kernel: "lanczos3" })
    .toColourspace("b-w")
    .png({ compressionLevel: 6 })
    .toBuffer();
}

/** Reads a stored master back (for display and models). */
export async function decodeMasterPng(bytes: Uint8Array): Promise<Grey16> {
  const { data, info } = await sharp(bytes)
    .toColourspace("grey16")
    .raw({ depth: "ushort" })
    .toBuffer({ resolveWithObject: true });
  const pixels = new Uint16Array(info.width * info.height);
  pixels.set(new Uint16Array(data.buffer, data.byteOffset, pixels.length));
  return { width: info.width, height: info.height, data: pixels };
}
