// The transfer syntaxes this platform reads, and how their pixel data is encoded.
import { z } from "zod";
import table from "./transfer-syntaxes.json" with { type: "json" };

const pixelEncodings = [
  "native",
  "rle",
  "jpeg-baseline",
  "jpeg-lossless",
  "jpeg-ls",
  "jpeg2000",
  "unsupported",
] as const;
export type PixelEncoding = (typeof pixelEncodings)[number];

export interface TransferSyntax {
  uid: string;
  name: string;
  encoding: PixelEncoding;
  bigEndian: boolean;
}

// Their uid, name and encoding are data (transfer-syntaxes.json), checked here; every one is little-endian
// but Explicit VR Big Endian. Of JPEG Extended (Process 2 & 4, decoded as jpeg-baseline), 12-bit lossy JPEG
// needs a 12-bit libjpeg, which neither sharp's libvips nor a maintained wasm codec provides.
const BIG_ENDIAN = "1.2.840.10008.1.2.2";
const known: TransferSyntax[] = z
  .array(z.object({ uid: z.string(), name: z.string(), encoding: z.enum(pixelEncodings) }))
  .parse(table)
  .map((syntax) => ({ ...syntax, bigEndian: syntax.uid === BIG_ENDIAN }));

const byUid = new Map(known.map((syntax) => [syntax.uid, syntax]));

export function transferSyntax(uid: string): TransferSyntax {
  return byUid.get(uid) ?? { uid, name: `transfer syntax ${uid}`, encoding: "unsupported", bigEndian: false };
}

export const EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
