// What a compressed frame says about itself, read from its header before any pixel is decoded, and compared
// with the DICOM header: a codec allocates what the frame claims, so a mismatch is refused as corrupt first.
import { RejectedFileError } from "../../errors";

/** The frame the DICOM header describes (Rows, Columns, Samples per Pixel, Bits Allocated). */
export interface ExpectedFrame {
  width: number;
  height: number;
  samplesPerPixel: number;
  bitsAllocated: number;
}

/** The frame a codestream declares. */
export interface DeclaredFrame {
  width: number;
  height: number;
  components: number;
  bitsPerSample: number;
}

export function checkDeclaredFrame(
  codec: string,
  declared: DeclaredFrame,
  expected: ExpectedFrame,
  { anyComponents = false } = {},
): void {
  const sameSize = declared.width === expected.width && declared.height === expected.height;
  const sameSamples = anyComponents || declared.components === expected.samplesPerPixel;
  const fits = declared.bitsPerSample >= 1 && declared.bitsPerSample <= Math.max(expected.bitsAllocated, 8);
  if (sameSize && sameSamples && fits) return;
  throw new RejectedFileError(
    "CORRUPT",
    `the ${codec} frame declares ${declared.width} x ${declared.height} pixels, ${declared.components} component(s) ` +
      `of ${declared.bitsPerSample} bits, but the DICOM header says ${expected.width} x ${expected.height}, ` +
      `${expected.samplesPerPixel} sample(s), ${expected.bitsAllocated} bits allocated: the file is corrupt`,
  );
}

// SOF0-3, 5-7, 9-11, 13-15 (0xC4 DHT, 0xC8 JPG and 0xCC DAC are not frame headers) and JPEG-LS's SOF55
const FRAME_MARKERS = new Set([
  0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf, 0xf7,
]);

/** The frame header (SOFn) of a JPEG or JPEG-LS codestream; markers before it are skipped by their lengths. */
export function readJpegFrameHeader(bytes: Uint8Array, codec: string): DeclaredFrame & { marker: number } {
  const corrupt = (why: string) => new RejectedFileError("CORRUPT", `the ${codec} frame ${why}`);
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8)
    throw corrupt("does not start with a JPEG start-of-image marker");
  const u16 = (at: number) => ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) throw corrupt(`has no marker at byte ${at} of its header`);
    const marker = bytes[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // markers without a length
      continue;
    }
    if (marker === 0xda || marker === 0xd9) throw corrupt("has no frame header before its scan");
    const length = u16(at + 2);
    if (length < 2) throw corrupt(`has a marker segment of length ${length}`);
    if (FRAME_MARKERS.has(marker)) {
      if (length < 8 || at + 2 + length > bytes.length) throw corrupt("has a truncated frame header");
      return {
        marker,
        bitsPerSample: bytes[at + 4] ?? 0,
        height: u16(at + 5),
        width: u16(at + 7),
        components: bytes[at + 9] ?? 0,
      };
    }
    at += 2 + length;
  }
  throw corrupt("ends before its frame header (truncated?)");
}

/**
 * The image a JPEG 2000 codestream declares in its SIZ marker (which must follow SOC), as OpenJPEG reports it:
 * component 0's size on the reference grid. A JP2 file's boxes are skipped to its codestream box.
 */
export function readJpeg2000Header(bytes: Uint8Array, codec: string): DeclaredFrame {
  const corrupt = (why: string) => new RejectedFileError("CORRUPT", `the ${codec} frame ${why}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = codestreamStart(bytes, view);
  if (at === undefined) throw corrupt("has no JPEG 2000 codestream");
  if (view.getUint16(at) !== 0xff4f || at + 44 > bytes.length || view.getUint16(at + 2) !== 0xff51)
    throw corrupt("does not start with the JPEG 2000 SOC and SIZ markers");
  const u32 = (offset: number) => view.getUint32(at + offset);
  const [xsiz, ysiz, x0, y0, tileWidth, tileHeight, tileX0, tileY0] = [8, 12, 16, 20, 24, 28, 32, 36].map(
    u32,
  );
  const components = view.getUint16(at + 40);
  const first = at + 42;
  if (first + 3 > bytes.length || components === 0) throw corrupt("has a truncated SIZ marker");
  const depth = ((bytes[first] ?? 0) & 0x7f) + 1;
  const dx = bytes[first + 1] ?? 0;
  const dy = bytes[first + 2] ?? 0;
  if (
    !xsiz ||
    !ysiz ||
    !tileWidth ||
    !tileHeight ||
    !dx ||
    !dy ||
    x0 === undefined ||
    y0 === undefined ||
    tileX0 === undefined ||
    tileY0 === undefined ||
    x0 >= xsiz ||
    y0 >= ysiz ||
    tileX0 > x0 ||
    tileY0 > y0
  ) {
    throw corrupt("has an inconsistent SIZ marker (image or tile offsets and sizes)");
  }
  // tile indexes are 16-bit (Isot): more tiles than that is no valid codestream, and each costs the codec memory
  const tiles = Math.ceil((xsiz - tileX0) / tileWidth) * Math.ceil((ysiz - tileY0) / tileHeight);
  if (tiles > 65535) throw corrupt(`declares ${tiles} tiles (at most 65535 exist)`);
  return {
    width: Math.ceil(xsiz / dx) - Math.ceil(x0 / dx),
    height: Math.ceil(ysiz / dy) - Math.ceil(y0 / dy),
    components,
    bitsPerSample: depth,
  };
}

/** Offset of the codestream: 0 for a bare one, the contents of the `jp2c` box in a JP2 file. */
function codestreamStart(bytes: Uint8Array, view: DataView): number | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0x4f) return 0;
  let at = 0;
  while (at + 8 <= bytes.length) {
    let length = view.getUint32(at);
    let header = 8;
    if (length === 1) {
      if (at + 16 > bytes.length) return undefined;
      length = Number(view.getBigUint64(at + 8));
      header = 16;
    } else if (length === 0) {
      length = bytes.length - at;
    }
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (type === "jp2c") return at + header;
    if (length < header) return undefined;
    at += length;
  }
  return undefined;
}
