// Decoding any image sharp reads (PNG 8/16-bit, JPEG, ...) to grayscale floats, as the report's preprocessing
// starts: decode, then to grayscale.
import { readFile } from "node:fs/promises";
import sharp from "sharp";
import { type GrayImage } from "./gray-image";

/** Decodes bytes to a grayscale image in [0, 1]; 16-bit sources keep their precision. */
export async function decodeGray(bytes: Uint8Array): Promise<GrayImage> {
  const { data, info } = await sharp(bytes)
    .flatten({ background: "#000000" })
    .toColourspace("grey16")
    .raw({ depth: "ushort" })
    .toBuffer({ resolveWithObject: true });
  const values = new Uint16Array(data.buffer, data.byteOffset, data.length / 2);
  const out = new Float32Array(info.width * info.height);
  const channels = info.channels;
  for (let i = 0; i < out.length; i++) out[i] = (values[i * channels] ?? 0) / 65535;
  return { width: info.width, height: info.height, data: out };
}

export async function readGray(path: string): Promise<GrayImage> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    throw new Error(`cannot read image ${path}`);
  }
  try {
    return await decodeGray(bytes);
  } catch {
    throw new Error(`cannot decode image ${path}`);
  }
}
