// The transfer syntaxes this platform reads, and how their pixel data is encoded.
export type PixelEncoding =
  "native" | "rle" | "jpeg-baseline" | "jpeg-lossless" | "jpeg-ls" | "jpeg2000" | "unsupported";

export interface TransferSyntax {
  uid: string;
  name: string;
  encoding: PixelEncoding;
  bigEndian: boolean;
}

const known: TransferSyntax[] = [
  { uid: "1.2.840.10008.1.2", name: "Implicit VR Little Endian", encoding: "native", bigEndian: false },
  { uid: "1.2.840.10008.1.2.1", name: "Explicit VR Little Endian", encoding: "native", bigEndian: false },
  {
    uid: "1.2.840.10008.1.2.1.99",
    name: "Deflated Explicit VR Little Endian",
    encoding: "native",
    bigEndian: false,
  },
  { uid: "1.2.840.10008.1.2.2", name: "Explicit VR Big Endian", encoding: "native", bigEndian: true },
  { uid: "1.2.840.10008.1.2.5", name: "RLE Lossless", encoding: "rle", bigEndian: false },
  {
    uid: "1.2.840.10008.1.2.4.50",
    name: "JPEG Baseline (Process 1)",
    encoding: "jpeg-baseline",
    bigEndian: false,
  },
  // 12-bit lossy JPEG needs a 12-bit libjpeg, which neither sharp's libvips nor a maintained wasm codec provides
  {
    uid: "1.2.840.10008.1.2.4.51",
    name: "JPEG Extended (Process 2 & 4)",
    encoding: "jpeg-baseline",
    bigEndian: false,
  },
  {
    uid: "1.2.840.10008.1.2.4.57",
    name: "JPEG Lossless (Process 14)",
    encoding: "jpeg-lossless",
    bigEndian: false,
  },
  {
    uid: "1.2.840.10008.1.2.4.70",
    name: "JPEG Lossless SV1 (Process 14, Selection Value 1)",
    encoding: "jpeg-lossless",
    bigEndian: false,
  },
  { uid: "1.2.840.10008.1.2.4.80", name: "JPEG-LS Lossless", encoding: "jpeg-ls", bigEndian: false },
  { uid: "1.2.840.10008.1.2.4.81", name: "JPEG-LS Near-Lossless", encoding: "jpeg-ls", bigEndian: false },
  { uid: "1.2.840.10008.1.2.4.90", name: "JPEG 2000 Lossless", encoding: "jpeg2000", bigEndian: false },
  { uid: "1.2.840.10008.1.2.4.91", name: "JPEG 2000", encoding: "jpeg2000", bigEndian: false },
];

const byUid = new Map(known.map((syntax) => [syntax.uid, syntax]));

export function transferSyntax(uid: string): TransferSyntax {
  return byUid.get(uid) ?? { uid, name: `transfer syntax ${uid}`, encoding: "unsupported", bigEndian: false };
}

export const EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
