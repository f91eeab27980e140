// The fuzzing corpus of issue 12: the real DICOM files and generated images the tests already use, mutated
// with a fixed seed: bit flips, byte runs, truncation, element length fields, swapped transfer syntaxes,
// image-size attributes (Rows, Columns, Bits Allocated, ...), the size a compressed frame declares, splices.
// Case n is the same on every machine for the same seed.
import { readFileSync } from "node:fs";
import { craftImage, craftNativeImage, losslessJpegClaiming, rleFrame, SYNTAX } from "../src/dicom/craft";
import { parseDicom } from "../src/dicom/parse";
import { makeJpeg, makePng } from "../src/testing";
import { real, requireFiles } from "./real-files";

const pydicom = "/usr/lib/python3/dist-packages/pydicom/data/test_files";

export interface SeedFile {
  name: string;
  bytes: Buffer;
}

export interface FuzzCase {
  name: string;
  bytes: Buffer;
  mutation: Mutation;
}

/** The unmutated files: every real file of the rendering and validation tests, plus generated ones. */
export async function seedFiles(): Promise<SeedFile[]> {
  const extra = {
    // baseline JPEG, which the tests' real files lack
    rgbJpegBaseline: `${pydicom}/SC_rgb_jpeg_dcmtk.dcm`,
  };
  // twelve 512 x 512 lossless frames take over 2 s to decode unmutated on a busy 2-core machine: the 2 s bound
  // would measure the machine, so this one file is left out (its 16-bit siblings, sel1 and sel4, are in)
  const { jpegLossless8Bit: _slow, ...tested } = real;
  const files = { ...tested, ...extra };
  requireFiles(...Object.values(files));
  const pixels = 32 * 32;
  const plane = (seed: number) => Uint8Array.from({ length: pixels }, (_, i) => (i * seed) % 251);
  const greyJpeg = await makeJpeg(48, 40, 3);
  return [
    ...Object.entries(files).map(([name, file]) => ({ name, bytes: readFileSync(file) })),
    { name: "crafted native", bytes: craftNativeImage(24, 20, 1) },
    {
      name: "crafted RLE",
      bytes: craftImage({
        rows: 32,
        columns: 32,
        transferSyntax: SYNTAX.rle,
        pixels: { fragments: [rleFrame([plane(3), plane(7)])] },
      }),
    },
    {
      name: "crafted lossless JPEG",
      bytes: craftImage({
        rows: 16,
        columns: 16,
        transferSyntax: SYNTAX.jpegLossless,
        pixels: { fragments: [losslessJpegClaiming(16, 16, 64)] },
      }),
    },
    {
      name: "crafted baseline JPEG",
      bytes: craftImage({
        rows: 40,
        columns: 48,
        bitsAllocated: 8,
        transferSyntax: SYNTAX.jpegBaseline,
        pixels: { fragments: [greyJpeg] },
      }),
    },
    { name: "PNG 8-bit", bytes: await makePng(40, 30, 2) },
    { name: "PNG 16-bit", bytes: await makePng(40, 30, 3, 16) },
    { name: "JPEG", bytes: greyJpeg },
  ];
}

/** mulberry32: a small seeded generator, so that case n is reproducible. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = ReturnType<typeof generator>;
const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
const int = (random: Random, max: number) => Math.floor(random() * max);

export const mutations = [
  "bit-flips",
  "byte-run",
  "truncate",
  "length-field",
  "transfer-syntax",
  "size-attribute",
  "frame-header",
  "splice",
] as const;
export type Mutation = (typeof mutations)[number];

const TRANSFER_SYNTAXES = [
  "1.2.840.10008.1.2",
  "1.2.840.10008.1.2.1",
  "1.2.840.10008.1.2.1.99",
  "1.2.840.10008.1.2.2",
  ...Object.values(SYNTAX),
  "1.2.840.10008.1.2.4.51",
  "1.2.840.10008.1.2.4.57",
  "1.2.840.10008.1.2.4.81",
  "1.2.840.10008.1.2.4.91",
  "1.2.840.10008.1.2.4.100", // MPEG2: not supported
  "1.2.3.4",
];

const LONG_VRS = new Set(["OB", "OW", "OF", "OD", "OL", "SQ", "UN", "UT", "UC", "UR"]);
const SIZE_ATTRIBUTES = ["x00280010", "x00280011", "x00280100", "x00280101", "x00280102", "x00280002"];
const SMALL_VALUES = [
  0, 1, 2, 3, 7, 8, 12, 15, 16, 17, 24, 31, 32, 33, 64, 255, 256, 4096, 32767, 32768, 65535,
];

interface DicomLayout {
  bigEndian: boolean;
  implicit: boolean;
  /** element offsets are into the inflated bytes: only byte-level mutations apply */
  deflated: boolean;
  elements: { tag: string; dataOffset: number; length: number; vr?: string }[];
  /** where the meta header ends (the data set starts) */
  metaEnd: number;
  transferSyntaxUid: string;
}

function dicomLayout(bytes: Buffer): DicomLayout | undefined {
  if (bytes.length < 132 || bytes.toString("latin1", 128, 132) !== "DICM") return undefined;
  try {
    const dicom = parseDicom(bytes);
    const groupLength = dicom.dataSet.uint32("x00020000");
    const uid = dicom.dataSet.string("x00020010") ?? "";
    return {
      bigEndian: dicom.syntax.bigEndian,
      implicit: uid === "1.2.840.10008.1.2",
      deflated: uid === "1.2.840.10008.1.2.1.99",
      elements: Object.values(dicom.dataSet.elements).map((e) => ({
        tag: e.tag,
        dataOffset: e.dataOffset,
        length: e.length,
        vr: e.vr,
      })),
      metaEnd: groupLength === undefined ? -1 : 144 + groupLength,
      transferSyntaxUid: uid,
    };
  } catch {
    return undefined; // a seed that is itself broken (the truncated MR) gets byte-level mutations only
  }
}

function writeUint(bytes: Buffer, at: number, size: 2 | 4, value: number, bigEndian: boolean): void {
  if (at < 0 || at + size > bytes.length) return;
  const v = size === 2 ? value & 0xffff : value >>> 0;
  if (size === 2) {
    if (bigEndian) bytes.writeUInt16BE(v, at);
    else bytes.writeUInt16LE(v, at);
  } else if (bigEndian) bytes.writeUInt32BE(v, at);
  else bytes.writeUInt32LE(v, at);
}

function mutate(seed: SeedFile, layout: DicomLayout | undefined, mutation: Mutation, random: Random): Buffer {
  const bytes = Buffer.from(seed.bytes);
  const n = bytes.length;
  switch (mutation) {
    case "bit-flips": {
      const flips = 1 + int(random, 8);
      for (let i = 0; i < flips; i++) {
        const at = int(random, n);
        bytes[at] = (bytes[at] ?? 0) ^ (1 << int(random, 8));
      }
      return bytes;
    }
    case "byte-run": {
      const at = int(random, n);
      const value = pick(random, [0x00, 0xff, 0x7f, 0x80, int(random, 256)]);
      bytes.fill(value, at, Math.min(n, at + 1 + int(random, 64)));
      return bytes;
    }
    case "truncate":
      return bytes.subarray(0, int(random, n));
    case "splice": {
      // a chunk of the file repeated or removed
      const at = int(random, n);
      const length = 1 + int(random, Math.min(512, n - at));
      return random() < 0.5
        ? Buffer.concat([bytes.subarray(0, at), bytes.subarray(at, at + length), bytes.subarray(at)])
        : Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + length)]);
    }
    case "length-field": {
      if (!layout || layout.deflated || layout.elements.length === 0)
        return mutate(seed, layout, "bit-flips", random);
      const element = pick(random, layout.elements);
      const isMeta = element.tag.startsWith("x0002");
      const long = (layout.implicit && !isMeta) || LONG_VRS.has(element.vr ?? "");
      const value = pick(random, [
        0,
        1,
        2,
        3,
        element.length + 1,
        Math.max(0, element.length - 1),
        element.length * 2,
        n,
        0xffff,
        0x7fffffff,
        0xfffffffe,
        0xffffffff,
        int(random, 0x100000000),
      ]);
      const bigEndian = layout.bigEndian && !isMeta;
      if (long) writeUint(bytes, element.dataOffset - 4, 4, value, bigEndian);
      else writeUint(bytes, element.dataOffset - 2, 2, value, bigEndian);
      return bytes;
    }
    case "transfer-syntax": {
      if (!layout || layout.metaEnd < 0) return mutate(seed, layout, "bit-flips", random);
      return withTransferSyntax(bytes, layout, pick(random, TRANSFER_SYNTAXES));
    }
    case "size-attribute": {
      if (!layout || layout.deflated) return mutate(seed, layout, "bit-flips", random);
      const element = layout.elements.find((e) => e.tag === pick(random, SIZE_ATTRIBUTES));
      const frames = layout.elements.find((e) => e.tag === "x00280008");
      if (frames && random() < 0.2) {
        // Number of Frames is a string: other digits in the same width
        const digits = String(pick(random, [0, 1, 2, 3, 15, 16, 99, 1999, 2001, 65535])).padEnd(
          frames.length,
          " ",
        );
        bytes.write(digits.slice(0, frames.length), frames.dataOffset, "latin1");
        return bytes;
      }
      if (!element) return mutate(seed, layout, "bit-flips", random);
      const original = layout.bigEndian
        ? bytes.readUInt16BE(element.dataOffset)
        : bytes.readUInt16LE(element.dataOffset);
      const value = pick(random, [...SMALL_VALUES, original + 1, Math.max(0, original - 1), original * 2]);
      writeUint(bytes, element.dataOffset, 2, value, layout.bigEndian);
      return bytes;
    }
    case "frame-header":
      return frameHeaderClaim(bytes, random) ?? mutate(seed, layout, "bit-flips", random);
  }
}

/** The file with another transfer syntax UID in its meta header (group length adjusted); the body is unchanged. */
function withTransferSyntax(bytes: Buffer, layout: DicomLayout, uid: string): Buffer {
  const element = layout.elements.find((e) => e.tag === "x00020010");
  if (!element) return bytes;
  const value = Buffer.from(uid.length % 2 ? `${uid}\0` : uid, "latin1");
  const header = Buffer.from(bytes.subarray(element.dataOffset - 8, element.dataOffset));
  header.writeUInt16LE(value.length, 6);
  const out = Buffer.concat([
    bytes.subarray(0, element.dataOffset - 8),
    header,
    value,
    bytes.subarray(element.dataOffset + element.length),
  ]);
  const groupLength = layout.elements.find((e) => e.tag === "x00020000");
  if (groupLength)
    out.writeUInt32LE(layout.metaEnd - 144 + value.length - element.length, groupLength.dataOffset);
  return out;
}

/** A compressed frame's own size claim (JPEG SOFn, JPEG-LS SOF55, JPEG 2000 SIZ, PNG IHDR) changed. */
function frameHeaderClaim(bytes: Buffer, random: Random): Buffer | undefined {
  const markers: { at: number; kind: "sof" | "siz" | "ihdr" }[] = [];
  for (let i = 0; i + 12 < bytes.length; i++) {
    if (bytes[i] !== 0xff) {
      if (bytes[i] === 0x49 && bytes.toString("latin1", i, i + 4) === "IHDR")
        markers.push({ at: i + 4, kind: "ihdr" });
      continue;
    }
    const next = bytes[i + 1] ?? 0;
    if (next === 0xc0 || next === 0xc1 || next === 0xc3 || next === 0xf7)
      markers.push({ at: i, kind: "sof" });
    if (next === 0x51 && bytes[i - 1] === 0x4f && bytes[i - 2] === 0xff) markers.push({ at: i, kind: "siz" });
  }
  if (markers.length === 0) return undefined;
  const marker = pick(random, markers);
  const claim = () => pick(random, [0, 1, 2, 15, 17, 255, 4096, 20000, 34000, 65535, int(random, 65536)]);
  switch (marker.kind) {
    case "sof": {
      // precision, components, height or width
      const field = random();
      if (field < 0.2) bytes[marker.at + 4] = pick(random, [0, 1, 2, 8, 12, 16, 17, 255]);
      else if (field < 0.35) bytes[marker.at + 9] = pick(random, [0, 1, 2, 3, 4, 255]);
      else bytes.writeUInt16BE(claim(), marker.at + (field < 0.7 ? 5 : 7));
      return bytes;
    }
    case "siz": // Xsiz, Ysiz, or a tile size
      bytes.writeUInt32BE(claim() * (random() < 0.2 ? 65536 : 1), marker.at + pick(random, [6, 10, 22, 26]));
      return bytes;
    case "ihdr": // width, height (the CRC no longer matches: a truncated or damaged PNG)
      bytes.writeUInt32BE(claim() * (random() < 0.2 ? 16 : 1), marker.at + (random() < 0.5 ? 0 : 4));
      return bytes;
  }
}

/** Case `index` of the corpus for `seed`: the seed files in turn, one mutation each (two for one in five). */
export function fuzzCase(
  seeds: readonly SeedFile[],
  layouts: readonly (DicomLayout | undefined)[],
  seed: number,
  index: number,
): FuzzCase {
  const random = generator(seed * 1_000_003 + index);
  const file = seeds[index % seeds.length] as SeedFile;
  const layout = layouts[index % seeds.length];
  const mutation = pick(random, mutations);
  let bytes = mutate(file, layout, mutation, random);
  if (random() < 0.2)
    bytes = mutate(
      { name: file.name, bytes },
      undefined,
      pick(random, ["bit-flips", "truncate", "byte-run"] as const),
      random,
    );
  return { name: `${file.name} #${index} ${mutation}`, bytes, mutation };
}

export function layoutsOf(seeds: readonly SeedFile[]): (DicomLayout | undefined)[] {
  return seeds.map((s) => dicomLayout(s.bytes));
}
