// DICOM RLE Lossless (PS3.5 Annex G): up to 15 PackBits segments, one per byte plane, most significant first.
// No maintained Node codec exists for it and the format is a few lines, so it is decoded here.
import { RejectedFileError } from "../../errors";

/** Returns the samples as native little-endian bytes, planar (all of sample 0, then sample 1, ...). */
export function decodeRle(
  encoded: Uint8Array,
  pixels: number,
  samplesPerPixel: number,
  bytesPerSample: number,
): Uint8Array {
  const view = new DataView(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  if (encoded.length < 64)
    throw new RejectedFileError("CORRUPT", "RLE frame shorter than its 64-byte header");
  const segments = view.getUint32(0, true);
  if (segments !== samplesPerPixel * bytesPerSample) {
    throw new RejectedFileError(
      "CORRUPT",
      `RLE frame has ${segments} segments, expected ${samplesPerPixel * bytesPerSample}`,
    );
  }
  // every segment must lie inside the frame, in order: reading past the data would invent pixels
  const offsets = [...Array(segments).keys()].map((s) => view.getUint32(4 + 4 * s, true));
  offsets.push(encoded.length);
  for (let s = 0; s < segments; s++) {
    const start = offsets[s] ?? 0;
    const next = offsets[s + 1] ?? 0;
    if (start < 64 || start >= encoded.length) {
      throw new RejectedFileError(
        "CORRUPT",
        `RLE segment ${s + 1} of ${segments} starts at byte ${start}, outside the frame's ${encoded.length} bytes`,
      );
    }
    if (next <= start) {
      throw new RejectedFileError(
        "CORRUPT",
        `RLE segment ${s + 1} of ${segments} starts at byte ${start}, not before the next one (byte ${next})`,
      );
    }
  }
  const out = new Uint8Array(pixels * samplesPerPixel * bytesPerSample);
  for (let s = 0; s < segments; s++) {
    const end = offsets[s + 1] ?? 0;
    const sample = Math.floor(s / bytesPerSample);
    const byteIndex = bytesPerSample - 1 - (s % bytesPerSample); // segment 0 holds the most significant byte
    const base = sample * pixels * bytesPerSample;
    let pixel = 0;
    let i = offsets[s] ?? 0;
    while (i < end && pixel < pixels) {
      const n = ((encoded[i++] ?? 0) << 24) >> 24; // as a signed byte
      if (n >= 0) {
        for (let k = 0; k <= n && pixel < pixels && i < end; k++)
          out[base + pixel++ * bytesPerSample + byteIndex] = encoded[i++] ?? 0;
      } else if (n !== -128 && i < end) {
        const value = encoded[i++] ?? 0;
        for (let k = 0; k < 1 - n && pixel < pixels; k++)
          out[base + pixel++ * bytesPerSample + byteIndex] = value;
      }
    }
    if (pixel < pixels)
      throw new RejectedFileError("CORRUPT", "RLE segment ends before the frame is complete");
  }
  return out;
}
