// The SR and SEG of a real DICOM source, checked by tools this project did not write: dicom3tools' dciodvfy
// (no errors; its warnings are only the local coding scheme "99CXR", which no dictionary can know), DCMTK's
// dsrdump (the finding and the coordinates), and dcmjs reading the SEG's bits back.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
// dcmjs ships no types: its ambient declaration
/// <reference path="../src/dcmjs-module.d.ts" />
import dcmjs from "dcmjs";
import { describe, expect, it } from "vitest";
import { buildSegmentation, buildStructuredReport, DicomExportError, readSource } from "../src";
import { read, source } from "./fixtures";

const dir = mkdtempSync(path.join(os.tmpdir(), "dicom-export-"));

function validate(bytes: Uint8Array, name: string) {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  const run = spawnSync("dciodvfy", [file], { encoding: "utf8" });
  if (run.error) throw new Error("dciodvfy is missing: apt-get install dicom3tools");
  const lines = `${run.stdout}${run.stderr}`.split("\n").filter(Boolean);
  return {
    file,
    errors: lines.filter((l) => l.startsWith("Error")),
    warnings: lines.filter((l) => l.startsWith("Warning")),
  };
}

const segInput = () => ({
  source: source(),
  frameNumber: 1,
  labelSetName: "cxr-4class",
  regions: read.regions.map((r) => ({ ...r, labelClass: r.labelClass ?? read.finding })),
  author: read.reader,
  at: read.at,
});

describe("DICOM exports of a read", () => {
  it("builds a TID 1500 SR that dciodvfy passes and dsrdump reads with the finding and coordinates", async () => {
    const bytes = await buildStructuredReport({
      source: source(),
      frameNumber: 1,
      labelSetName: "cxr-4class",
      read,
    });
    const { file, errors, warnings } = validate(bytes, "sr.dcm");
    expect(errors).toEqual([]);
    expect(warnings.every((w) => w.includes("<99CXR>"))).toBe(true);
    const dump = execFileSync("dsrdump", ["+Pl", file], { encoding: "utf8" });
    expect(dump).toContain('"Imaging Measurement Report"');
    expect(dump).toContain('"Person Observer Name")="Radiologist^Rita"');
    // the read's finding and the rectangle's outline in pixels of the 128 x 128 source
    expect(dump).toMatch(/"Qualitative Evaluations"[\s\S]*"Finding"\)=\(covid-19,99CXR,"COVID-19"\)/);
    expect(dump).toContain("(POLYLINE,32/16,64/16,64/48,32/48,32/16)");
    expect(dump).toMatch(/\(ELLIPSE,/);
    expect(dump).toContain("(POINT,64/64)");
    expect(dump).toContain('(lung-opacity,99CXR,"Lung opacity")');
  });

  it("builds a binary SEG, one segment per class, that dciodvfy passes and references the source", async () => {
    const src = source();
    const bytes = await buildSegmentation(segInput());
    const { errors, warnings } = validate(bytes, "seg.dcm");
    expect(errors).toEqual([]);
    expect(warnings.every((w) => w.includes("<99CXR>"))).toBe(true);

    const seg = dcmjs.data.DicomMetaDictionary.naturalizeDataset(
      dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(0) as ArrayBuffer).dict,
    );
    expect(seg.FrameOfReferenceUID).toBe(src.frameOfReferenceUid);
    expect((seg.ReferencedSeriesSequence as { SeriesInstanceUID: string }).SeriesInstanceUID).toBe(
      src.seriesInstanceUid,
    );
    const segments = seg.SegmentSequence as { SegmentLabel: string }[];
    expect(segments.map((s) => s.SegmentLabel)).toEqual(["COVID-19", "Lung opacity"]);
    // frame 1 (COVID-19): the rectangle covers columns 32..63, rows 16..47
    const bits = new Uint8Array((seg.PixelData as ArrayBuffer[])[0]!);
    const at = (frame: number, row: number, col: number) => {
      const i = frame * 128 * 128 + row * 128 + col;
      return (bits[i >> 3]! >> (i & 7)) & 1;
    };
    expect(at(0, 30, 48)).toBe(1);
    expect(at(0, 10, 48)).toBe(0);
    expect(at(0, 30, 70)).toBe(0);
    // frame 2 (lung opacity): the brush stroke along row 12.8 from column 89.6 to 115.2
    expect(at(1, 13, 100)).toBe(1);
    expect(at(1, 30, 48)).toBe(0);
  });

  it("refuses a source that is not DICOM and ROIs without an area", async () => {
    expect(() => readSource(new Uint8Array([137, 80, 78, 71, 1, 2, 3]))).toThrow(DicomExportError);
    await expect(buildSegmentation({ ...segInput(), regions: [] })).rejects.toThrow(
      /no regions with an area/,
    );
  });
});
