// Small DICOM Part 10 files written byte by byte, for tests and the fuzzer: files that claim what we want them
// to claim (a frame larger than its header, a 200-year-old patient), which no real writer would produce.
// Explicit VR Little Endian data sets only; not used at run time.

export const SYNTAX = {
  explicitLittle: "1.2.840.10008.1.2.1",
  rle: "1.2.840.10008.1.2.5",
  jpegBaseline: "1.2.840.10008.1.2.4.50",
  jpegLossless: "1.2.840.10008.1.2.4.70",
  jpegLs: "1.2.840.10008.1.2.4.80",
  jpeg2000: "1.2.840.10008.1.2.4.90",
} as const;

/** One attribute: a tag as 8 hex digits, its VR and its value (strings are joined by backslashes). */
export interface CraftedElement {
  tag: string;
  vr: string;
  value: string | number | readonly number[] | Uint8Array;
}

const LONG_VRS = new Set(["OB", "OW", "OF", "OD", "OL", "SQ", "UN", "UT", "UC", "UR"]);

function tagBytes(tag: string): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt16LE(parseInt(tag.slice(0, 4), 16), 0);
  b.writeUInt16LE(parseInt(tag.slice(4, 8), 16), 2);
  return b;
}

function valueBytes(vr: string, value: CraftedElement["value"]): Buffer {
  if (value instanceof Uint8Array) return Buffer.from(value);
  const numbers = typeof value === "number" ? [value] : typeof value === "string" ? undefined : value;
  if (numbers && (vr === "US" || vr === "SS" || vr === "UL" || vr === "SL")) {
    const size = vr === "US" || vr === "SS" ? 2 : 4;
    const b = Buffer.alloc(size * numbers.length);
    numbers.forEach((n, i) => {
      if (vr === "US") b.writeUInt16LE(n, 2 * i);
      else if (vr === "SS") b.writeInt16LE(n, 2 * i);
      else if (vr === "UL") b.writeUInt32LE(n, 4 * i);
      else b.writeInt32LE(n, 4 * i);
    });
    return b;
  }
  const text = numbers ? numbers.join("\\") : String(value);
  const b = Buffer.from(text, "latin1");
  // even length: UIDs are padded with NUL, other strings with a space
  return b.length % 2 ? Buffer.concat([b, Buffer.from([vr === "UI" ? 0 : 0x20])]) : b;
}

export function encodeElement({ tag, vr, value }: CraftedElement): Buffer {
  const data = valueBytes(vr, value);
  if (LONG_VRS.has(vr)) {
    const head = Buffer.alloc(8);
    head.write(vr, 0, "latin1");
    head.writeUInt32LE(data.length, 4);
    return Buffer.concat([tagBytes(tag), head, data]);
  }
  const head = Buffer.alloc(4);
  head.write(vr, 0, "latin1");
  head.writeUInt16LE(data.length, 2);
  return Buffer.concat([tagBytes(tag), head, data]);
}

/** Pixel Data as an encapsulated sequence: an empty basic offset table, one item per fragment. */
export function encapsulatedPixelData(fragments: readonly Uint8Array[]): Buffer {
  const item = (bytes: Uint8Array) => {
    const head = Buffer.alloc(8);
    head.writeUInt16LE(0xfffe, 0);
    head.writeUInt16LE(0xe000, 2);
    head.writeUInt32LE(bytes.length, 4);
    return Buffer.concat([head, Buffer.from(bytes)]);
  };
  const end = Buffer.from([0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0]);
  const head = Buffer.concat([tagBytes("7fe00010"), Buffer.from("OB\0\0", "latin1"), Buffer.alloc(4, 0xff)]);
  const padded = fragments.map((f) => (f.length % 2 ? Buffer.concat([Buffer.from(f), Buffer.alloc(1)]) : f));
  return Buffer.concat([head, item(new Uint8Array(0)), ...padded.map(item), end]);
}

export interface CraftOptions {
  transferSyntax: string;
  /** the data set's attributes besides Pixel Data, in any order (they are sorted by tag) */
  elements: CraftedElement[];
  /** native pixel data (OW), or encapsulated fragments */
  pixels?: Uint8Array | { fragments: readonly Uint8Array[] };
}

/** A Part 10 file: preamble, "DICM", the meta header, the data set. */
export function writeDicom({ transferSyntax, elements, pixels }: CraftOptions): Buffer {
  const sopClass = String(elements.find((e) => e.tag === "00080016")?.value ?? "1.2.840.10008.5.1.4.1.1.1.1");
  const sopInstance = String(elements.find((e) => e.tag === "00080018")?.value ?? "1.2.3.4.5.6.7");
  const meta = Buffer.concat(
    [
      { tag: "00020001", vr: "OB", value: new Uint8Array([0, 1]) },
      { tag: "00020002", vr: "UI", value: sopClass },
      { tag: "00020003", vr: "UI", value: sopInstance },
      { tag: "00020010", vr: "UI", value: transferSyntax },
      { tag: "00020012", vr: "UI", value: "1.2.826.0.1.3680043.10.1" },
    ].map(encodeElement),
  );
  const groupLength = encodeElement({ tag: "00020000", vr: "UL", value: meta.length });
  const body = [...elements].sort((a, b) => a.tag.localeCompare(b.tag)).map(encodeElement);
  const pixelData =
    pixels === undefined
      ? []
      : pixels instanceof Uint8Array
        ? [encodeElement({ tag: "7fe00010", vr: "OW", value: pixels })]
        : [encapsulatedPixelData(pixels.fragments)];
  return Buffer.concat([
    Buffer.alloc(128),
    Buffer.from("DICM", "latin1"),
    groupLength,
    meta,
    ...body,
    ...pixelData,
  ]);
}

export interface CraftImageOptions {
  rows: number;
  columns: number;
  bitsAllocated?: number;
  bitsStored?: number;
  samplesPerPixel?: number;
  photometric?: string;
  transferSyntax?: string;
  pixels?: CraftOptions["pixels"];
  /** replaces or adds attributes (same tag: this one wins) */
  extra?: CraftedElement[];
}

/** A DX image object with the attributes the platform reads; pixel data as given. */
export function craftImage(options: CraftImageOptions): Buffer {
  const bitsAllocated = options.bitsAllocated ?? 16;
  const base: CraftedElement[] = [
    { tag: "00080016", vr: "UI", value: "1.2.840.10008.5.1.4.1.1.1.1" },
    { tag: "00080018", vr: "UI", value: "1.2.826.0.1.3680043.10.1.1" },
    { tag: "00080060", vr: "CS", value: "DX" },
    { tag: "00100020", vr: "LO", value: "CRAFTED-1" },
    { tag: "0020000d", vr: "UI", value: "1.2.826.0.1.3680043.10.1.2" },
    { tag: "0020000e", vr: "UI", value: "1.2.826.0.1.3680043.10.1.3" },
    { tag: "00280002", vr: "US", value: options.samplesPerPixel ?? 1 },
    { tag: "00280004", vr: "CS", value: options.photometric ?? "MONOCHROME2" },
    { tag: "00280010", vr: "US", value: options.rows },
    { tag: "00280011", vr: "US", value: options.columns },
    { tag: "00280100", vr: "US", value: bitsAllocated },
    { tag: "00280101", vr: "US", value: options.bitsStored ?? bitsAllocated },
    { tag: "00280102", vr: "US", value: (options.bitsStored ?? bitsAllocated) - 1 },
    { tag: "00280103", vr: "US", value: 0 },
  ];
  const extra = options.extra ?? [];
  const elements = [...base.filter((e) => !extra.some((x) => x.tag === e.tag)), ...extra];
  return writeDicom({
    transferSyntax: options.transferSyntax ?? SYNTAX.explicitLittle,
    elements,
    pixels: options.pixels,
  });
}

/** A valid small 16-bit MONOCHROME2 image, native pixel data: a gradient that depends on `seed`. */
export function craftNativeImage(rows = 16, columns = 16, seed = 0, extra: CraftedElement[] = []): Buffer {
  const pixels = Buffer.alloc(rows * columns * 2);
  for (let i = 0; i < rows * columns; i++) pixels.writeUInt16LE((i * 37 + seed * 101) % 4096, 2 * i);
  return craftImage({
    rows,
    columns,
    bitsStored: 12,
    pixels,
    extra: [{ tag: "00080018", vr: "UI", value: `1.2.826.0.1.3680043.10.1.1.${seed}` }, ...extra],
  });
}

const segment = (marker: number, body: readonly number[]) => [
  0xff,
  marker,
  (body.length + 2) >> 8,
  (body.length + 2) & 0xff,
  ...body,
];
const u16 = (n: number) => [n >> 8, n & 0xff];

/**
 * A lossless JPEG (process 14) frame whose header claims `width` x `height` 16-bit pixels, followed by a few
 * bytes of entropy-coded data: one Huffman code (difference 0), so every pixel decodes from next to nothing.
 */
export function losslessJpegClaiming(width: number, height: number, dataBytes = 16): Buffer {
  const sof3 = segment(0xc3, [16, ...u16(height), ...u16(width), 1, 1, 0x11, 0]);
  // one code of length 1 for category 0
  const dht = segment(0xc4, [0x00, 1, ...Array<number>(15).fill(0), 0]);
  const sos = segment(0xda, [1, 1, 0x00, 1, 0, 0]);
  return Buffer.from([0xff, 0xd8, ...sof3, ...dht, ...sos, ...Array<number>(dataBytes).fill(0), 0xff, 0xd9]);
}

/** A JPEG-LS frame header (SOF55) claiming `width` x `height` 8-bit pixels, a scan, a few data bytes. */
export function jpegLsClaiming(width: number, height: number, dataBytes = 16): Buffer {
  const sof55 = segment(0xf7, [8, ...u16(height), ...u16(width), 1, 1, 0x11, 0]);
  const sos = segment(0xda, [1, 1, 0, 0, 0, 0]);
  return Buffer.from([0xff, 0xd8, ...sof55, ...sos, ...Array<number>(dataBytes).fill(0), 0xff, 0xd9]);
}

/** A JPEG 2000 codestream whose SIZ marker claims one `width` x `height` 8-bit tile, with a token tile. */
export function jpeg2000Claiming(width: number, height: number, dataBytes = 16): Buffer {
  const u32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  const siz = segment(0x51, [
    ...u16(0),
    ...u32(width),
    ...u32(height),
    ...u32(0),
    ...u32(0),
    ...u32(width),
    ...u32(height),
    ...u32(0),
    ...u32(0),
    ...u16(1),
    7,
    1,
    1,
  ]);
  // 5 decomposition levels, 64x64 code blocks, reversible 5/3 wavelet; no quantisation (16 sub-bands)
  const cod = segment(0x52, [0, 0, ...u16(1), 0, 5, 4, 4, 0, 1]);
  const qcd = segment(0x5c, [0x40, ...Array<number>(16).fill(0x48)]);
  const sot = [0xff, 0x90, 0, 10, ...u16(0), ...u32(0), 0, 1];
  return Buffer.from([
    0xff,
    0x4f,
    ...siz,
    ...cod,
    ...qcd,
    ...sot,
    0xff,
    0x93,
    ...Array<number>(dataBytes).fill(0),
    0xff,
    0xd9,
  ]);
}

/**
 * An RLE Lossless frame (PS3.5 Annex G) of the given byte planes (most significant first), each as PackBits
 * literal runs; `offsets` overrides the segment offsets the header declares.
 */
export function rleFrame(planes: readonly Uint8Array[], offsets?: readonly number[]): Buffer {
  const segments = planes.map((plane) => {
    const runs: number[] = [];
    for (let at = 0; at < plane.length; at += 128) {
      const run = plane.subarray(at, at + 128);
      runs.push(run.length - 1, ...run);
    }
    return Buffer.from(runs.length % 2 ? [...runs, 0x80] : runs);
  });
  const header = Buffer.alloc(64);
  header.writeUInt32LE(segments.length, 0);
  let at = 64;
  segments.forEach((segment, i) => {
    header.writeUInt32LE(offsets?.[i] ?? at, 4 + 4 * i);
    at += segment.length;
  });
  return Buffer.concat([header, ...segments]);
}

export interface MalformedDicom {
  name: string;
  bytes: Buffer;
  /** what the refusal must say */
  expect: RegExp;
}

/**
 * DICOM files that once failed a whole upload with a 500 (issue 12): each must be refused on its own with a
 * message. All are DX images, so a tolerant platform would otherwise store them.
 */
export function malformedDicoms(): MalformedDicom[] {
  const pixels = 16 * 16;
  return [
    {
      name: "age-200.dcm",
      bytes: craftNativeImage(16, 16, 101, [{ tag: "00101010", vr: "AS", value: "200Y" }]),
      expect: /Patient's Age \(0010,1010\) "200Y" is not valid/,
    },
    {
      name: "charls-throws.dcm",
      bytes: craftImage({
        rows: 16,
        columns: 16,
        bitsAllocated: 8,
        transferSyntax: SYNTAX.jpegLs,
        pixels: { fragments: [jpegLsClaiming(16, 16)] },
      }),
      expect: /the JPEG-LS frame cannot be decoded \(the codec stopped without saying why\)/,
    },
    {
      name: "lossless-claims-34000.dcm",
      bytes: craftImage({
        rows: 16,
        columns: 16,
        transferSyntax: SYNTAX.jpegLossless,
        pixels: { fragments: [losslessJpegClaiming(34000, 34000, 7)] },
      }),
      expect: /the lossless JPEG frame declares 34000 x 34000 pixels/,
    },
    {
      name: "rle-past-data.dcm",
      bytes: craftImage({
        rows: 16,
        columns: 16,
        transferSyntax: SYNTAX.rle,
        pixels: { fragments: [rleFrame([new Uint8Array(pixels), new Uint8Array(pixels)], [64, 100_000])] },
      }),
      expect: /RLE segment 2 of 2 starts at byte 100000, outside the frame/,
    },
  ];
}

/** Two window centres and widths with one explanation: valid enough to store (the second has no label). */
export function dicomWithUnexplainedWindow(seed = 102): Buffer {
  return craftNativeImage(16, 16, seed, [
    { tag: "00281050", vr: "DS", value: [100, 200] },
    { tag: "00281051", vr: "DS", value: [400, 800] },
    { tag: "00281055", vr: "LO", value: "LUNG" },
  ]);
}
