// Untrusted files: the type comes from the bytes, sizes and pixel counts are checked before decoding, and
// each refusal says why in words a person can act on.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeMasterPng } from "../src/derivatives";
import { RejectedFileError } from "../src/errors";
import { limitsSchema } from "../src/limits";
import { prepareImage } from "../src/prepare";
import { badImages, makeJpeg, makePng } from "../src/testing";
import { real } from "./real-files";

describe("the bad images of the bad-input corpus", () => {
  it("are refused, each file with a clear message", async () => {
    for (const bad of await badImages(readFileSync(real.rtPlan))) {
      const outcome = prepareImage(bad.bytes, bad.name);
      await expect(outcome, bad.name).rejects.toBeInstanceOf(RejectedFileError);
      await expect(outcome, bad.name).rejects.toThrow(bad.expect);
    }
  });

  it("refuses other non-images: a DICOM structured report, a truncated DICOM file, an unknown binary", async () => {
    await expect(prepareImage(readFileSync(real.structuredReport), "sr.dcm")).rejects.toThrow(
      /no pixel data/,
    );
    await expect(prepareImage(readFileSync(real.truncated), "mr.dcm")).rejects.toThrow(
      /truncated|cannot be parsed/,
    );
    await expect(prepareImage(Buffer.from([0, 1, 2, 3, 4, 255, 0, 9]), "blob")).rejects.toThrow(
      /unrecognised binary data; accepted are PNG, JPEG and DICOM/,
    );
  });

  it("applies the size limit before reading anything", async () => {
    const limits = limitsSchema.parse({ maxFileBytes: 1000 });
    await expect(prepareImage(await makePng(64, 64), "a.png", { limits })).rejects.toThrow(
      /above the limit of 1000 bytes/,
    );
  });
});

describe("good images", () => {
  it("PNG (8 and 16 bit) and JPEG give a lossless 16-bit grey master and a small 8-bit preview", async () => {
    for (const [name, bytes] of [
      ["a.png", await makePng(700, 600, 3)],
      ["b.png", await makePng(300, 200, 4, 16)],
      ["c.jpg", await makeJpeg(300, 200, 5)],
    ] as const) {
      const prepared = await prepareImage(bytes, name);
      const frame = prepared.frames[0];
      if (!frame) throw new Error("no frame");
      const master = await decodeMasterPng(frame.master);
      expect([master.width, master.height]).toEqual([frame.width, frame.height]);
      if (name === "b.png") {
        // 16-bit input survives exactly
        const sharp = (await import("sharp")).default;
        const { data } = await sharp(bytes)
          .toColourspace("grey16")
          .raw({ depth: "ushort" })
          .toBuffer({ resolveWithObject: true });
        expect(Buffer.from(master.data.buffer)).toEqual(data);
      }
      const preview = await (await import("sharp")).default(frame.preview).metadata();
      expect(Math.max(preview.width ?? 0, preview.height ?? 0)).toBeLessThanOrEqual(512);
      expect(preview.channels).toBe(1);
    }
  });
});
