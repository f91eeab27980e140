// A real DICOM source (pydicom's CT_small.dcm, Debian python3-pydicom: it has a frame of reference) and a read
// with one region of each shape, for the builders' tests.
import { readFileSync } from "node:fs";
import { readSource } from "../src";
import type { ReadForReport } from "../src";

export const ctSmall = "/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm";

export const source = () => readSource(readFileSync(ctSmall));

export const covid = { key: "covid-19", name: "COVID-19" };
export const opacity = { key: "lung-opacity", name: "Lung opacity" };

export const read: ReadForReport = {
  id: "read-1",
  reader: { name: "Rita Radiologist" },
  finding: covid,
  at: new Date("2026-12-03T10:00:00Z"),
  regions: [
    // 32..64 columns, 16..48 rows on the 128 x 128 CT
    {
      shape: "RECTANGLE",
      points: [
        [0.25, 0.125],
        [0.5, 0.375],
      ],
      strokeWidth: null,
      labelClass: null,
    },
    {
      shape: "ELLIPSE",
      points: [
        [0.6, 0.6],
        [0.9, 0.7],
      ],
      strokeWidth: null,
      labelClass: opacity,
    },
    {
      shape: "POLYGON",
      points: [
        [0.1, 0.8],
        [0.2, 0.8],
        [0.15, 0.95],
      ],
      strokeWidth: null,
      labelClass: null,
    },
    {
      shape: "BRUSH",
      points: [
        [0.7, 0.1],
        [0.9, 0.1],
      ],
      strokeWidth: 0.05,
      labelClass: opacity,
    },
    { shape: "POINT", points: [[0.5, 0.5]], strokeWidth: null, labelClass: null },
  ],
};
