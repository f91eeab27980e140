// Real DICOM files that no one on this project wrote, from Debian's and npm's packages, and DCMTK as the
// reference renderer. Debian packages: python3-pydicom, dicom3tools, dcmtk.
// npm: jpeg-lossless-decoder-js ships its test files in its tarball.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const pydicom = "/usr/lib/python3/dist-packages/pydicom/data/test_files";
const require = createRequire(import.meta.url);
const losslessDir = path.join(
  path.dirname(require.resolve("jpeg-lossless-decoder-js/package.json")),
  "tests/data",
);

export const real = {
  ctSmall: `${pydicom}/CT_small.dcm`,
  mrSmall: `${pydicom}/MR_small.dcm`,
  mrRle: `${pydicom}/MR_small_RLE.dcm`,
  mrJpegLs: `${pydicom}/MR_small_jpeg_ls_lossless.dcm`,
  mrJ2kLossless: `${pydicom}/MR_small_jp2klossless.dcm`,
  mrBigEndian: `${pydicom}/MR_small_bigendian.dcm`,
  mrImplicit: `${pydicom}/MR_small_implicit.dcm`,
  mrPadded: `${pydicom}/MR_small_padded.dcm`,
  deflated: `${pydicom}/image_dfl.dcm`,
  ctJ2kLossy: `${pydicom}/693_J2KI.dcm`,
  jpegExtended12: `${pydicom}/JPGExtended.dcm`,
  rtDose: `${pydicom}/rtdose.dcm`,
  rtDoseRle: `${pydicom}/rtdose_rle.dcm`,
  rgbRle2Frames: `${pydicom}/SC_rgb_rle_2frame.dcm`,
  rtPlan: `${pydicom}/rtplan.dcm`,
  structuredReport: `${pydicom}/reportsi.dcm`,
  truncated: `${pydicom}/MR_truncated.dcm`,
  mr12Bit: "/usr/share/doc/dicom3tools/examples/0051.dcm",
  jpegLosslessSel1: path.join(losslessDir, "jpeg_lossless_sel1.dcm"),
  jpegLosslessSel4: path.join(losslessDir, "jpeg_lossless_sel4.dcm"),
  jpegLossless8Bit: path.join(losslessDir, "jpeg_lossless_sel1-8bit.dcm"),
};

/** Fails with the package to install rather than skipping: these tests are the point. */
export function requireFiles(...files: string[]): void {
  for (const file of files) {
    if (!existsSync(file))
      throw new Error(`${file} is missing: apt-get install python3-pydicom dicom3tools (and npm ci)`);
  }
}

export function requireTool(tool: string, aptPackage: string): void {
  if (spawnSync("which", [tool]).status !== 0)
    throw new Error(`${tool} is missing: apt-get install ${aptPackage}`);
}

export interface Pnm {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
}

/** Reads DCMTK's 8-bit PGM (P5) or PPM (P6) output. */
export function readPnm(file: string): Pnm {
  const bytes = readFileSync(file);
  const header = bytes.subarray(0, 64).toString("latin1");
  const match = header.match(/^(P[56])\s+(\d+)\s+(\d+)\s+(\d+)\s/);
  if (!match) throw new Error(`${file} is not an 8-bit PGM/PPM`);
  const [whole, magic, width, height] = match;
  const channels = magic === "P6" ? 3 : 1;
  return { width: Number(width), height: Number(height), channels, data: bytes.subarray(whole.length) };
}

/** Runs dcmj2pnm (dcml2pnm for JPEG-LS) and returns its 8-bit output. */
export function dcmtkRender(file: string, args: string[], out: string, tool = "dcmj2pnm"): Pnm {
  execFileSync(tool, [...args, file, out], { stdio: "pipe" });
  return readPnm(out);
}

/** Largest absolute difference between ours and DCMTK's grey values (DCMTK colour reduced to BT.601 luma). */
export function maxDifference(ours: Uint8Array, reference: Pnm): number {
  let max = 0;
  for (let i = 0; i < ours.length; i++) {
    const r =
      reference.channels === 3
        ? Math.round(
            0.299 * (reference.data[3 * i] ?? 0) +
              0.587 * (reference.data[3 * i + 1] ?? 0) +
              0.114 * (reference.data[3 * i + 2] ?? 0),
          )
        : (reference.data[i] ?? 0);
    max = Math.max(max, Math.abs((ours[i] ?? 0) - r));
  }
  return max;
}
