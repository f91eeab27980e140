// Test fixtures shared by the tests of @cxr/imaging, @cxr/ingest and the web app: small real images made with
// sharp, and the bad image files of the ingest issue's corpus. Not used at run time.
import { deflateSync, crc32 } from "node:zlib";
import sharp from "sharp";

/** A grey gradient PNG (16-bit when asked) with a seed-dependent pattern, so each seed gives other bytes. */
export async function makePng(width: number, height: number, seed = 0, bits: 8 | 16 = 8): Promise<Buffer> {
  const data = new Uint16Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data[y * width + x] = ((x * 251 + y * 509 + seed * 7919) * 13) % 65536;
  }
  const image = sharp(data, { raw: { width, height, channels: 1 } }).toColourspace("grey16");
  return bits === 16 ? image.png().toBuffer() : image.toColourspace("b-w").png().toBuffer();
}

export async function makeJpeg(width: number, height: number, seed = 0): Promise<Buffer> {
  return sharp(await makePng(width, height, seed))
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** A real, valid PNG of 30000 x 30000 pixels (1-bit, so it is about 100 KB): a decompression bomb. */
function makeHugePng(width = 30000, height = 30000): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, "latin1");
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const raw = Buffer.alloc((Math.ceil(width / 8) + 1) * height); // filter byte 0 + zero bits per row
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

export interface BadInput {
  name: string;
  bytes: Buffer;
  /** what the refusal message must say */
  expect: RegExp;
}

/**
 * The bad image files of the ingest issue's corpus (the DICOM without pixel data is a real file, passed in);
 * @cxr/ingest's tests add the archive that points outside itself.
 */
export async function badImages(dicomWithoutPixels: Buffer): Promise<BadInput[]> {
  const png = await makePng(256, 256, 1);
  return [
    {
      name: "truncated.png",
      bytes: png.subarray(0, Math.floor(png.length / 2)),
      expect: /truncated or damaged/,
    },
    {
      name: "notes.dcm",
      bytes: Buffer.from("Patient notes, not an image.\nSecond line.\n"),
      expect: /named \.dcm but the content is text/,
    },
    { name: "bomb.png", bytes: makeHugePng(), expect: /30000 x 30000 pixels .* above the limit/ },
    { name: "plan.dcm", bytes: dicomWithoutPixels, expect: /no pixel data/ },
    { name: "empty.png", bytes: Buffer.alloc(0), expect: /empty/ },
  ];
}
export * from "./dicom/craft";
