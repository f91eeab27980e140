// JPEG in DICOM: lossless (process 14) with jpeg-lossless-decoder-js, baseline 8-bit with sharp. Each frame's
// header is read and compared with the DICOM header before its pixels are decoded.
import { createRequire } from "node:module";
import sharp from "sharp";
import { describeError, RejectedFileError } from "../../errors";
import type { Limits } from "../../limits";
import { vipsMessage } from "../../raster";
import { checkDeclaredFrame, readJpegFrameHeader, type ExpectedFrame } from "./declared-frame";

// the package ships no type declarations; this is the one call used
interface LosslessDecoder {
  decode(buffer: ArrayBufferLike, offset: number, length: number): Uint8Array | Uint16Array;
}
const { Decoder } = createRequire(import.meta.url)("jpeg-lossless-decoder-js") as {
  Decoder: new () => LosslessDecoder;
};

export function decodeJpegLossless(encoded: Uint8Array, expected: ExpectedFrame): Uint8Array | Uint16Array {
  const header = readJpegFrameHeader(encoded, "lossless JPEG");
  checkDeclaredFrame("lossless JPEG", header, expected);
  let decoded: unknown;
  try {
    decoded = new Decoder().decode(encoded.buffer, encoded.byteOffset, encoded.length);
  } catch (error) {
    throw new RejectedFileError(
      "CORRUPT",
      `the lossless JPEG frame cannot be decoded (${describeError(error)})`,
    );
  }
  const samples = expected.width * expected.height * expected.samplesPerPixel;
  if ((decoded instanceof Uint8Array || decoded instanceof Uint16Array) && decoded.length === samples)
    return decoded;
  throw new RejectedFileError("CORRUPT", "the lossless JPEG frame could not be decoded");
}

/** 8-bit lossy JPEG: colour frames come back as their luminance. */
export async function decodeJpegBaseline(
  encoded: Uint8Array,
  bitsStored: number,
  expected: ExpectedFrame,
  limits: Limits,
): Promise<Uint8Array> {
  if (bitsStored > 8) {
    throw new RejectedFileError(
      "UNSUPPORTED",
      `lossy JPEG with ${bitsStored} bits per sample (JPEG Extended, process 4) is not supported`,
    );
  }
  const options = { failOn: "error", limitInputPixels: limits.maxPixels } as const;
  try {
    const meta = await sharp(encoded, options).metadata();
    checkDeclaredFrame(
      "JPEG",
      {
        width: meta.width,
        height: meta.height,
        components: meta.channels,
        bitsPerSample: meta.depth === "uchar" || meta.depth === "char" ? 8 : 16,
      },
      expected,
      // sharp reduces any JPEG to its luminance: one value per pixel whatever the components
      { anyComponents: meta.channels === 1 || meta.channels === 3 },
    );
    const { data } = await sharp(encoded, options)
      .toColourspace("b-w")
      .raw()
      .toBuffer({ resolveWithObject: true });
    return new Uint8Array(data.buffer, data.byteOffset, data.length);
  } catch (error) {
    if (error instanceof RejectedFileError) throw error;
    throw new RejectedFileError("CORRUPT", `the JPEG frame cannot be decoded (${vipsMessage(error)})`);
  }
}
