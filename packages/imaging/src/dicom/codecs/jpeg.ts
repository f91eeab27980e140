// JPEG in DICOM: lossless (process 14) with jpeg-lossless-decoder-js, baseline 8-bit with sharp.
import { createRequire } from "node:module";
import sharp from "sharp";
import { describeError, RejectedFileError } from "../../errors";

// the package ships no type declarations; this is the one call used
interface LosslessDecoder {
  decode(buffer: ArrayBufferLike, offset: number, length: number): Uint8Array | Uint16Array;
}
const { Decoder } = createRequire(import.meta.url)("jpeg-lossless-decoder-js") as {
  Decoder: new () => LosslessDecoder;
};

export function decodeJpegLossless(encoded: Uint8Array): Uint8Array | Uint16Array {
  const decoded = new Decoder().decode(encoded.buffer, encoded.byteOffset, encoded.length);
  if (decoded instanceof Uint8Array || decoded instanceof Uint16Array) return decoded;
  throw new RejectedFileError("CORRUPT", "the lossless JPEG frame could not be decoded");
}

/** 8-bit lossy JPEG: colour frames come back as their luminance. */
export async function decodeJpegBaseline(encoded: Uint8Array, bitsStored: number): Promise<Uint8Array> {
  if (bitsStored > 8) {
    throw new RejectedFileError(
      "UNSUPPORTED",
      `lossy JPEG with ${bitsStored} bits per sample (JPEG Extended, process 4) is not supported`,
    );
  }
  try {
    const { data } = await sharp(encoded, { failOn: "error" })
      .toColourspace("b-w")
      .raw()
      .toBuffer({ resolveWithObject: true });
    return new Uint8Array(data.buffer, data.byteOffset, data.length);
  } catch (error) {
    throw new RejectedFileError("CORRUPT", `the JPEG frame cannot be decoded (${describeError(error)})`);
  }
}
