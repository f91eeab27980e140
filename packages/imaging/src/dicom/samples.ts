// One frame decoded to stored pixel values (before the modality LUT): masked to Bits Stored, sign-extended,
// colour reduced to luminance. The pixel limit applies to every encoding, and each codec checks the size its
// frame declares against the DICOM header before decoding.
import { RejectedFileError } from "../errors";
import { defaultLimits, formatPixels, type Limits } from "../limits";
import type { ExpectedFrame } from "./codecs/declared-frame";
import { decodeJpegBaseline, decodeJpegLossless } from "./codecs/jpeg";
import { decodeRle } from "./codecs/rle";
import { decodeJpeg2000, decodeJpegLs } from "./codecs/wasm";
import { frameBytes } from "./frames";
import type { DicomObject } from "./parse";
import type { PixelModule } from "./pixel-module";

export interface FrameSamples {
  width: number;
  height: number;
  /** stored values, one per pixel */
  values: Int32Array;
  /** MONOCHROME1: higher values are darker */
  inverted: boolean;
  /** colour frames were reduced to luminance, so Modality and VOI LUTs do not apply */
  fromColour: boolean;
}

export async function decodeFrame(
  dicom: DicomObject,
  pm: PixelModule,
  index: number,
  limits: Limits = defaultLimits,
): Promise<FrameSamples> {
  if (pm.rows * pm.columns > limits.maxPixels) {
    throw new RejectedFileError(
      "TOO_MANY_PIXELS",
      `the image is ${pm.columns} x ${pm.rows} pixels, above the limit of ${formatPixels(limits.maxPixels)}`,
    );
  }
  if (pm.photometric === "PALETTE COLOR")
    throw new RejectedFileError("UNSUPPORTED", "PALETTE COLOR images are not supported");
  if (pm.photometric.endsWith("_422") || pm.photometric.endsWith("_420")) {
    // subsampled colour is only meaningful inside JPEG, where the codec upsamples it
    if (dicom.syntax.encoding !== "jpeg-baseline")
      throw new RejectedFileError("UNSUPPORTED", `uncompressed ${pm.photometric} is not supported`);
  }
  const bytes = frameBytes(dicom, pm, index);
  const pixels = pm.rows * pm.columns;
  const spp = pm.samplesPerPixel;
  const colour = spp === 3;
  const expected: ExpectedFrame = {
    width: pm.columns,
    height: pm.rows,
    samplesPerPixel: spp,
    bitsAllocated: pm.bitsAllocated,
  };
  const base = {
    width: pm.columns,
    height: pm.rows,
    inverted: pm.photometric === "MONOCHROME1",
    fromColour: colour,
  };
  switch (dicom.syntax.encoding) {
    case "native": {
      const codes = nativeCodes(bytes, pm, index, dicom.syntax.bigEndian);
      return {
        ...base,
        values: colour
          ? luminance(codes, pixels, pm.planarConfiguration === 1, pm.photometric)
          : storedValues(codes, pm, true),
      };
    }
    case "rle": {
      const bytesPerSample = pm.bitsAllocated / 8;
      if (!Number.isInteger(bytesPerSample))
        throw new RejectedFileError("UNSUPPORTED", "RLE with 1-bit pixels is not supported");
      const decoded = decodeRle(bytes, pixels, spp, bytesPerSample);
      const codes = nativeCodes(decoded, { ...pm, samplesPerPixel: 1, rows: pm.rows * spp }, 0, false);
      return {
        ...base,
        values: colour ? luminance(codes, pixels, true, pm.photometric) : storedValues(codes, pm, true),
      };
    }
    case "jpeg-lossless": {
      const decoded = decodeJpegLossless(bytes, expected);
      return {
        ...base,
        values: colour
          ? luminance(Int32Array.from(decoded), pixels, false, "RGB")
          : storedValues(Int32Array.from(decoded), pm, false),
      };
    }
    case "jpeg-ls":
    case "jpeg2000": {
      const { info, bytes: out } =
        dicom.syntax.encoding === "jpeg-ls"
          ? await decodeJpegLs(bytes, expected)
          : await decodeJpeg2000(bytes, expected);
      const wide = info.bitsPerSample > 8;
      const codes = new Int32Array(pixels * info.componentCount);
      if (out.length < codes.length * (wide ? 2 : 1))
        throw new RejectedFileError("CORRUPT", "the decoded frame is shorter than its declared size");
      const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
      for (let i = 0; i < codes.length; i++) codes[i] = wide ? view.getUint16(2 * i, true) : (out[i] ?? 0);
      // the codecs return colour as RGB, whatever the YBR_ICT / YBR_RCT label says
      return {
        ...base,
        values:
          info.componentCount === 3 ? luminance(codes, pixels, false, "RGB") : storedValues(codes, pm, false),
      };
    }
    case "jpeg-baseline": {
      const luma = await decodeJpegBaseline(bytes, pm.bitsStored, expected, limits);
      if (luma.length !== pixels)
        throw new RejectedFileError("CORRUPT", "the JPEG frame's size differs from the header's");
      const values = Int32Array.from(luma);
      return { ...base, values: colour ? values : storedValues(values, pm, false), fromColour: colour };
    }
    case "unsupported":
      throw new RejectedFileError("UNSUPPORTED", `${dicom.syntax.name} is not supported`);
  }
}

/** Raw sample codes (unsigned bit patterns of Bits Allocated) in the order they are stored. */
function nativeCodes(bytes: Uint8Array, pm: PixelModule, frameIndex: number, bigEndian: boolean): Int32Array {
  const count = pm.rows * pm.columns * pm.samplesPerPixel;
  const codes = new Int32Array(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (pm.bitsAllocated) {
    case 1: {
      const bitOffset = (count * frameIndex) % 8;
      for (let i = 0; i < count; i++) {
        const bit = bitOffset + i;
        codes[i] = ((bytes[bit >> 3] ?? 0) >> (bit & 7)) & 1;
      }
      break;
    }
    case 8:
      codes.set(bytes.subarray(0, count));
      break;
    case 16:
      for (let i = 0; i < count; i++) codes[i] = view.getUint16(2 * i, !bigEndian);
      break;
    case 32:
      for (let i = 0; i < count; i++) codes[i] = view.getInt32(4 * i, !bigEndian); // bit pattern; masked below
      break;
  }
  return codes;
}

/** Keeps Bits Stored bits ending at High Bit (native only: codecs return them low-aligned), sign-extends. */
function storedValues(codes: Int32Array, pm: PixelModule, native: boolean): Int32Array {
  const bits = pm.bitsStored;
  const shift = native ? pm.highBit + 1 - bits : 0;
  if (bits >= 32) {
    // 32-bit words are read as signed; unsigned values must then stay below 2^31 (doses, counts do)
    if (pm.pixelRepresentation === 0 && codes.some((v) => v < 0)) {
      throw new RejectedFileError(
        "UNSUPPORTED",
        "32-bit unsigned pixel values of 2^31 and above are not supported",
      );
    }
    return codes;
  }
  const mask = bits === 31 ? 0x7fffffff : (1 << bits) - 1;
  const signBit = 1 << (bits - 1);
  const values = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) {
    let v = ((codes[i] ?? 0) >>> shift) & mask;
    if (pm.pixelRepresentation === 1 && v & signBit) v -= 2 * signBit;
    values[i] = v;
  }
  return values;
}

/** ITU-R BT.601 luma of RGB, or the Y of YBR (already luminance). */
function luminance(codes: Int32Array, pixels: number, planar: boolean, photometric: string): Int32Array {
  const out = new Int32Array(pixels);
  const at = (pixel: number, sample: number) =>
    codes[planar ? sample * pixels + pixel : pixel * 3 + sample] ?? 0;
  const isYbr = photometric.startsWith("YBR");
  for (let p = 0; p < pixels; p++) {
    out[p] = isYbr ? at(p, 0) : Math.round(0.299 * at(p, 0) + 0.587 * at(p, 1) + 0.114 * at(p, 2));
  }
  return out;
}
