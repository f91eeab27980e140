// PNG and JPEG decoding with sharp: header checks first (size, pixel count), then a full decode to 16-bit grey.
import sharp, { type Metadata } from "sharp";
import { describeError, RejectedFileError } from "./errors";
import type { Grey16 } from "./grey";
import { defaultLimits, type Limits } from "./limits";

export interface RasterInfo {
  format: "png" | "jpeg";
  width: number;
  height: number;
  /** bits per sample of the file (8 or 16) */
  bitDepth: number;
  channels: number;
}

/** Reads only the header: dimensions are checked before any pixel is decompressed (decompression bombs). */
export async function inspectRaster(bytes: Uint8Array, limits: Limits = defaultLimits): Promise<RasterInfo> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new RejectedFileError(
      "CORRUPT",
      `the image header cannot be read: it is truncated or damaged (${vipsMessage(error)})`,
    );
  }
  const format = meta.format === "png" ? "png" : meta.format === "jpeg" ? "jpeg" : undefined;
  if (!format)
    throw new RejectedFileError(
      "UNSUPPORTED",
      `images in ${meta.format} format are not accepted (PNG, JPEG or DICOM)`,
    );
  const { width, height } = meta;
  if (!width || !height) throw new RejectedFileError("CORRUPT", "the image header gives no size");
  if (width * height > limits.maxPixels) {
    throw new RejectedFileError(
      "TOO_MANY_PIXELS",
      `the image is ${width} x ${height} pixels (${Math.round((width * height) / 1e6)} Mpx), above the limit of ${Math.round(limits.maxPixels / 1e6)} Mpx`,
    );
  }
  const bitDepth = meta.depth === "ushort" || meta.depth === "short" ? 16 : 8;
  return { format, width, height, bitDepth, channels: meta.channels ?? 1 };
}

/** Decodes the whole image to 16-bit grey (colour images by luminance), upright per its EXIF orientation. */
export async function decodeRaster(
  bytes: Uint8Array,
  limits: Limits = defaultLimits,
): Promise<{ info: RasterInfo; image: Grey16 }> {
  const info = await inspectRaster(bytes, limits);
  try {
    // failOn "warning" also refuses truncated files, which libvips would otherwise pad with grey
    const { data, info: out } = await sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: "warning" })
      .autoOrient()
      .flatten({ background: "#000000" })
      .toColourspace("grey16")
      .raw({ depth: "ushort" })
      .toBuffer({ resolveWithObject: true });
    if (out.channels !== 1) throw new Error(`expected 1 channel, got ${out.channels}`);
    const pixels = new Uint16Array(out.width * out.height);
    pixels.set(new Uint16Array(data.buffer, data.byteOffset, pixels.length));
    return { info, image: { width: out.width, height: out.height, data: pixels } };
  } catch (error) {
    throw new RejectedFileError(
      "CORRUPT",
      `the image cannot be decoded: it is truncated or damaged (${vipsMessage(error)})`,
    );
  }
}

/** libvips repeats its message once per line it failed on; one of each is enough for a person. */
export function vipsMessage(error: unknown): string {
  return [
    ...new Set(
      describeError(error)
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean),
    ),
  ].join("; ");
}
