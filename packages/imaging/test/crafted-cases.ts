// Issue 12's crafted files: tiny DICOM objects whose compressed frame claims a huge size while the DICOM
// header says 16 x 16 (or 32 x 32), so a decoder that trusts the frame allocates gigabytes.
import {
  craftImage,
  jpeg2000Claiming,
  jpegLsClaiming,
  losslessJpegClaiming,
  SYNTAX,
} from "../src/dicom/craft";

export interface CraftedCase {
  name: string;
  bytes: Buffer;
  /** what the refusal must say */
  expect: RegExp;
}

export function craftedCases(): CraftedCase[] {
  const small = { rows: 16, columns: 16 };
  return [
    {
      name: "lossless JPEG claiming 34000 x 34000",
      bytes: craftImage({
        ...small,
        transferSyntax: SYNTAX.jpegLossless,
        pixels: { fragments: [losslessJpegClaiming(34000, 34000, 7)] },
      }),
      expect: /lossless JPEG frame declares 34000 x 34000 .* DICOM header says 16 x 16/,
    },
    {
      name: "lossless JPEG, 65-byte frame claiming 65535 x 65535",
      bytes: craftImage({
        ...small,
        transferSyntax: SYNTAX.jpegLossless,
        pixels: { fragments: [losslessJpegClaiming(65535, 65535)] },
      }),
      expect: /lossless JPEG frame declares 65535 x 65535/,
    },
    {
      name: "JPEG-LS claiming 20000 x 20000",
      bytes: craftImage({
        ...small,
        bitsAllocated: 8,
        transferSyntax: SYNTAX.jpegLs,
        pixels: { fragments: [jpegLsClaiming(20000, 20000)] },
      }),
      expect: /JPEG-LS frame declares 20000 x 20000/,
    },
    {
      name: "JPEG 2000 claiming 20000 x 20000",
      bytes: craftImage({
        ...small,
        bitsAllocated: 8,
        transferSyntax: SYNTAX.jpeg2000,
        pixels: { fragments: [jpeg2000Claiming(20000, 20000)] },
      }),
      expect: /JPEG 2000 frame declares 20000 x 20000/,
    },
  ];
}
