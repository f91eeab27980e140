// Issue 12: no crafted file takes the process down. Each codec's declared frame size is checked against the
// DICOM header before decoding, every codec failure is a refusal with a message, and decoding runs in a
// worker with a time and a heap budget.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configureDecodePool } from "../src/decode/pool";
import { craftImage, craftNativeImage, jpegLsClaiming, rleFrame, SYNTAX } from "../src/dicom/craft";
import { parseDicom } from "../src/dicom/parse";
import { readPixelModule } from "../src/dicom/pixel-module";
import { renderFrame } from "../src/dicom/render";
import { RejectedFileError } from "../src/errors";
import { defaultLimits, limitsSchema } from "../src/limits";
import { prepareImage } from "../src/prepare";
import { makeJpeg } from "../src/testing";
import { craftedCases } from "./crafted-cases";
import { real, requireFiles } from "./real-files";

const MB = 1024 * 1024;

beforeAll(async () => {
  requireFiles(real.mrRle);
  // a warm worker, so the timings below are the files' and not the worker's start
  await prepareImage(craftNativeImage(16, 16, 0), "warm.dcm");
});

describe("frames that claim more than their DICOM header", () => {
  it("the issue's files (lossless JPEG 34000² and 65535², JPEG-LS and JPEG 2000 20000²) are refused within 2 s each, memory flat", async () => {
    const before = process.memoryUsage().rss;
    for (const crafted of craftedCases()) {
      const started = performance.now();
      const outcome = prepareImage(crafted.bytes, "crafted.dcm");
      await expect(outcome, crafted.name).rejects.toBeInstanceOf(RejectedFileError);
      await expect(outcome, crafted.name).rejects.toThrow(crafted.expect);
      expect(performance.now() - started, crafted.name).toBeLessThan(2000);
    }
    // before the checks, the first file alone took this process past 4 GiB
    expect(process.memoryUsage().rss - before).toBeLessThan(128 * MB);
  });

  it("an RLE frame whose segment offsets run past its data is refused, not zero-filled", async () => {
    const pixels = 16 * 16;
    const high = new Uint8Array(pixels).fill(1);
    const low = Uint8Array.from({ length: pixels }, (_, i) => i % 256);
    const rle = (offsets?: number[]) =>
      craftImage({
        rows: 16,
        columns: 16,
        transferSyntax: SYNTAX.rle,
        pixels: { fragments: [rleFrame([high, low], offsets)] },
      });
    const good = await prepareImage(rle(), "rle.dcm");
    expect(good.frames[0]).toMatchObject({ width: 16, height: 16 });

    const frameLength = rleFrame([high, low]).length;
    await expect(prepareImage(rle([64, frameLength + 100]), "rle.dcm")).rejects.toThrow(
      `RLE segment 2 of 2 starts at byte ${frameLength + 100}, outside the frame's ${frameLength} bytes`,
    );
    await expect(prepareImage(rle([40, 300]), "rle.dcm")).rejects.toThrow(
      "RLE segment 1 of 2 starts at byte 40, outside the frame's",
    );
    await expect(prepareImage(rle([300, 200]), "rle.dcm")).rejects.toThrow(
      "RLE segment 1 of 2 starts at byte 300, not before the next one (byte 200)",
    );
  });

  it("a real RLE file (pydicom's MR_small_RLE) with its last segment pointing past the frame is refused", async () => {
    const bytes = Buffer.from(readFileSync(real.mrRle));
    const dicom = parseDicom(bytes);
    const fragment = dicom.dataSet.elements.x7fe00010?.fragments?.[0];
    if (!fragment) throw new Error("no fragment");
    const start = fragment.position;
    const segments = bytes.readUInt32LE(start);
    bytes.writeUInt32LE(fragment.length + 64, start + 4 * segments);
    await expect(prepareImage(bytes, "mr.dcm")).rejects.toThrow(
      "RLE segment 2 of 2 starts at byte 6172, outside the frame's 6108 bytes",
    );
  });

  it("a JPEG-LS frame CharLS fails on is refused with a sentence, not the codec's bare number", async () => {
    const bytes = craftImage({
      rows: 16,
      columns: 16,
      bitsAllocated: 8,
      transferSyntax: SYNTAX.jpegLs,
      pixels: { fragments: [jpegLsClaiming(16, 16)] },
    });
    const outcome = prepareImage(bytes, "ls.dcm");
    await expect(outcome).rejects.toBeInstanceOf(RejectedFileError);
    await expect(outcome).rejects.toThrow(
      "the JPEG-LS frame cannot be decoded (the codec stopped without saying why)",
    );
  });

  it("a baseline JPEG frame is checked against the header and decoded under the configured pixel limit", async () => {
    const jpeg = await makeJpeg(300, 200, 1);
    const dicom = (rows: number, columns: number) =>
      craftImage({
        rows,
        columns,
        bitsAllocated: 8,
        transferSyntax: SYNTAX.jpegBaseline,
        pixels: { fragments: [jpeg] },
      });
    const prepared = await prepareImage(dicom(200, 300), "jpeg.dcm");
    expect(prepared.frames[0]).toMatchObject({ width: 300, height: 200 });
    await expect(prepareImage(dicom(16, 16), "jpeg.dcm")).rejects.toThrow(
      /the JPEG frame declares 300 x 200 pixels, 3 component\(s\) of 8 bits, but the DICOM header says 16 x 16/,
    );
    // decodeFrame applies the limit itself, whoever calls it (the CLI's render does not go through prepare)
    const parsed = parseDicom(dicom(200, 300));
    const limits = limitsSchema.parse({ maxPixels: 50_000 });
    await expect(renderFrame(parsed, readPixelModule(parsed.dataSet), { limits })).rejects.toThrow(
      "the image is 300 x 200 pixels, above the limit of 0.05 Mpx",
    );
  });
});

describe("the decode worker's budget", () => {
  afterAll(() => configureDecodePool({}));

  it("a file over the time budget is refused and costs only its worker", async () => {
    const big = craftNativeImage(3000, 3000, 1);
    const limits = { ...defaultLimits, decodeTimeoutMs: 200 };
    await expect(prepareImage(big, "big.dcm", { limits })).rejects.toThrow(
      "decoding the file took longer than 0.2 s and was stopped: it is damaged or too large",
    );
    const next = await prepareImage(craftNativeImage(16, 16, 2), "next.dcm");
    expect(next.frames).toHaveLength(1);
  });

  it("a file over the heap budget is refused and costs only its worker", async () => {
    await configureDecodePool({ heapMb: 64, youngMb: 16 });
    // dicom-parser reads a text attribute into a JS string one character at a time: 16 MB of Patient ID
    const bomb = craftNativeImage(16, 16, 3, [{ tag: "00100020", vr: "UT", value: "A".repeat(16 * MB) }]);
    const before = process.memoryUsage().rss;
    await expect(prepareImage(bomb, "bomb.dcm")).rejects.toThrow(
      "decoding the file needed more than the decoder's 64 MB of memory and was stopped",
    );
    expect(process.memoryUsage().rss - before).toBeLessThan(256 * MB);
    const next = await prepareImage(craftNativeImage(16, 16, 4), "next.dcm");
    expect(next.frames).toHaveLength(1);
  });
});

describe("malformed attributes (issue 12, item 7)", () => {
  it('Patient\'s Age "200Y" is refused with the attribute and its value', async () => {
    const bytes = craftNativeImage(16, 16, 5, [{ tag: "00101010", vr: "AS", value: "200Y" }]);
    await expect(prepareImage(bytes, "old.dcm")).rejects.toThrow(
      `the DICOM attribute Patient's Age (0010,1010) "200Y" is not valid`,
    );
  });

  it("two window centres with one explanation: both windows are read, the second without a label", async () => {
    const bytes = craftNativeImage(16, 16, 6, [
      { tag: "00281050", vr: "DS", value: [100, 200] },
      { tag: "00281051", vr: "DS", value: [400, 800] },
      { tag: "00281055", vr: "LO", value: "LUNG" },
    ]);
    expect(readPixelModule(parseDicom(bytes).dataSet).windows).toEqual([
      { center: 100, width: 400, explanation: "LUNG" },
      { center: 200, width: 800, explanation: undefined },
    ]);
    const prepared = await prepareImage(bytes, "windows.dcm");
    expect(prepared.frames[0]?.window).not.toBeNull();
  });
});
