// Our rendering against DCMTK's dcmj2pnm (the reference renderer) on real DICOM files: same window, within 1
// grey level per pixel. DCMTK 3.6.7 truncates where we round, hence differences of exactly 1.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDicom } from "../src/dicom/parse";
import { readPixelModule } from "../src/dicom/pixel-module";
import { applyVoi } from "../src/dicom/lut";
import { renderFrame, type RenderOptions } from "../src/dicom/render";
import { decodeMasterPng } from "../src/derivatives";
import { prepareImage } from "../src/prepare";
import { dcmtkRender, maxDifference, real, requireFiles, requireTool } from "./real-files";

let dir: string;
beforeAll(() => {
  requireTool("dcmj2pnm", "dcmtk");
  requireFiles(...Object.values(real));
  dir = mkdtempSync(path.join(os.tmpdir(), "cxr-render-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function ours(file: string, options: RenderOptions = {}) {
  const dicom = parseDicom(readFileSync(file));
  return renderFrame(dicom, readPixelModule(dicom.dataSet), options);
}

async function compare(
  file: string,
  options: RenderOptions,
  dcmtkArgs: string[],
  referenceFile = file,
  tool = "dcmj2pnm",
) {
  const rendered = await ours(file, options);
  const reference = dcmtkRender(referenceFile, dcmtkArgs, path.join(dir, "ref.pnm"), tool);
  expect([reference.width, reference.height]).toEqual([rendered.display.width, rendered.display.height]);
  return maxDifference(rendered.display.data, reference);
}

const figures: string[] = [];
afterAll(() => console.log(`DCMTK comparison, max grey-level difference per case:\n${figures.join("\n")}`));

const cases: [string, string][] = [
  ["CT, explicit little endian, signed, rescale intercept, pixel padding", real.ctSmall],
  ["MR, explicit little endian", real.mrSmall],
  ["MR, RLE lossless", real.mrRle],
  ["MR, explicit big endian", real.mrBigEndian],
  ["MR, implicit little endian", real.mrImplicit],
  ["MR, trailing padding", real.mrPadded],
  ["MR, 12 bits stored in 16 (dicom3tools example)", real.mr12Bit],
  ["JPEG lossless, selection value 1 (npm tarball)", real.jpegLosslessSel1],
  ["JPEG lossless, selection value 4 (npm tarball)", real.jpegLosslessSel4],
  ["JPEG lossless, 8-bit (npm tarball)", real.jpegLossless8Bit],
];

describe("rendering matches dcmj2pnm within 1 grey level", () => {
  for (const [label, file] of cases) {
    it(`${label}: first stored window, min-max and an explicit window`, async () => {
      const pm = readPixelModule(parseDicom(readFileSync(file)).dataSet);
      if (pm.windows.length > 0) {
        const d = await compare(file, {}, ["+Wi", "1"]);
        figures.push(`${path.basename(file)} +Wi 1: ${d}`);
        expect(d).toBeLessThanOrEqual(1);
      }
      const minMax = await compare(file, { minMax: true }, ["+Wm"]);
      const explicit = await compare(file, { window: { center: 300, width: 800 } }, ["+Ww", "300", "800"]);
      figures.push(`${path.basename(file)} +Wm: ${minMax}, +Ww 300 800: ${explicit}`);
      expect(minMax).toBeLessThanOrEqual(1);
      expect(explicit).toBeLessThanOrEqual(1);
    });
  }

  it("deflated explicit little endian, min-max (no stored window)", async () => {
    const d = await compare(real.deflated, {}, ["+Wm"]);
    figures.push(`image_dfl.dcm default (min-max) vs +Wm: ${d}`);
    expect(d).toBeLessThanOrEqual(1);
  });

  it("JPEG-LS lossless, against DCMTK's dcml2pnm", async () => {
    const d = await compare(real.mrJpegLs, {}, ["+Wi", "1"], real.mrJpegLs, "dcml2pnm");
    figures.push(`MR_small_jpeg_ls_lossless.dcm +Wi 1 (dcml2pnm): ${d}`);
    expect(d).toBeLessThanOrEqual(1);
  });

  it("JPEG 2000 lossless (which Debian's DCMTK cannot decode), against dcmj2pnm on the same pixels uncompressed", async () => {
    const d = await compare(real.mrJ2kLossless, {}, ["+Wi", "1"], real.mrSmall);
    figures.push(`MR_small_jp2klossless.dcm vs MR_small.dcm +Wi 1: ${d}`);
    expect(d).toBeLessThanOrEqual(1);
  });

  it("every frame of a multi-frame object (15-frame RT dose, implicit and RLE), chosen with --frame", async () => {
    for (const file of [real.rtDose, real.rtDoseRle]) {
      let worst = 0;
      for (const frame of [0, 7, 14]) {
        worst = Math.max(
          worst,
          await compare(file, { frame, minMax: true }, ["+Wm", "+F", String(frame + 1)]),
        );
      }
      figures.push(`${path.basename(file)} frames 1, 8, 15 +Wm: ${worst}`);
      expect(worst).toBeLessThanOrEqual(1);
    }
  });

  it("colour frames (RGB, RLE, 2 frames) reduce to the luminance of DCMTK's colour output", async () => {
    const d = await compare(real.rgbRle2Frames, { frame: 1 }, ["+F", "2"]);
    figures.push(`SC_rgb_rle_2frame.dcm frame 2 (luma): ${d}`);
    expect(d).toBeLessThanOrEqual(1);
  });

  it("MONOCHROME1 is shown inverted (a real MR relabelled MONOCHROME1 with DCMTK's dcmodify)", async () => {
    const file = path.join(dir, "mono1.dcm");
    copyFileSync(real.mrSmall, file);
    execFileSync("dcmodify", ["-nb", "-m", "(0028,0004)=MONOCHROME1", file]);
    const inverted = await ours(file);
    const normal = await ours(real.mrSmall);
    expect(inverted.display.data[0]).toBe(255 - (normal.display.data[0] ?? 0));
    const d = await compare(file, {}, ["+Wi", "1"]);
    const minMax = await compare(file, { minMax: true }, ["+Wm"]);
    figures.push(`MR_small as MONOCHROME1 +Wi 1: ${d}, +Wm: ${minMax}`);
    expect(Math.max(d, minMax)).toBeLessThanOrEqual(1);
  });

  it("a VOI LUT sequence is applied when there is no window (inserted into a real MR with dcmodify)", async () => {
    const file = path.join(dir, "voi-lut.dcm");
    copyFileSync(real.mrSmall, file);
    const lut = Array.from({ length: 2048 }, (_, i) =>
      Math.round(4095 * Math.sqrt(i / 2047))
        .toString(16)
        .padStart(4, "0"),
    );
    execFileSync("dcmodify", [
      "-nb",
      "-e",
      "(0028,1050)",
      "-e",
      "(0028,1051)",
      "-i",
      "(0028,3010)[0].(0028,3002)=2048\\0\\12",
      "-i",
      `(0028,3010)[0].(0028,3006)=${lut.join("\\")}`, // dcmodify reads OW values as hex
      file,
    ]);
    const rendered = await ours(file);
    expect(rendered.voiDescription).toBe("VOI LUT sequence");
    const d = await compare(file, {}, ["+Wl", "1"]);
    figures.push(`MR_small with a VOI LUT +Wl 1: ${d}`);
    expect(d).toBeLessThanOrEqual(1);
  });

  it("every stored window can be chosen; the first is the default", async () => {
    const file = path.join(dir, "two-windows.dcm");
    copyFileSync(real.mrSmall, file);
    execFileSync("dcmodify", ["-nb", "-m", "(0028,1050)=600\\200", "-m", "(0028,1051)=1600\\400", file]);
    const first = await ours(file);
    expect(first.voiDescription).toBe("stored window 1 of 2");
    const second = await ours(file, { windowIndex: 1 });
    expect(second.voiDescription).toBe("stored window 2 of 2");
    expect(await compare(file, { windowIndex: 1 }, ["+Wi", "2"])).toBeLessThanOrEqual(1);
  });
});

describe("16-bit master", () => {
  it("holds the modality values losslessly, shifted to start at 0, and its window reproduces the display", async () => {
    for (const file of [real.ctSmall, real.mrSmall, real.mr12Bit]) {
      const prepared = await prepareImage(readFileSync(file), path.basename(file));
      const frame = prepared.frames[0];
      if (!frame?.window) throw new Error("no frame or window");
      const master = await decodeMasterPng(frame.master);
      const rendered = await ours(file);
      expect(frame.masterLossless).toBe(true);
      expect(master.data).toEqual(rendered.master.data);
      const voi = { kind: "window" as const, ...frame.window, fn: "LINEAR" as const, source: "master" };
      let worst = 0;
      for (let i = 0; i < master.data.length; i++) {
        const y = Math.round(applyVoi(voi, master.data[i] ?? 0) * 255);
        worst = Math.max(worst, Math.abs(y - (rendered.display.data[i] ?? 0)));
      }
      expect(worst).toBeLessThanOrEqual(1);
    }
  });

  it("decodes lossy JPEG 2000 (CT) and refuses 12-bit lossy JPEG with a clear message", async () => {
    const ct = await ours(real.ctJ2kLossy);
    expect(ct.display.width).toBe(512);
    await expect(prepareImage(readFileSync(real.jpegExtended12), "x.dcm")).rejects.toThrow(
      /12 bits per sample/,
    );
  });
});
