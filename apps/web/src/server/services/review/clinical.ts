// The clinical columns a data set brought with an image (Cohen's covid-chest-xray: RT-PCR, outcome, vitals,
// laboratory counts, and its other columns kept as text in clinicalExtra), grouped and with units for the case
// panel; only what is present. They are what was known about the patient, not model output, so a blinded read
// shows them too (the data set's finding, which is its label, is not among them).
import { type Image } from "@cxr/db";
import { z } from "zod";

export interface ClinicalItem {
  label: string;
  value: string;
}
export interface ClinicalGroup {
  key: "rt-pcr" | "outcome" | "vitals" | "laboratory" | "other";
  title: string;
  items: ClinicalItem[];
}

export type ClinicalColumns = Pick<
  Image,
  | "rtPcrPositive"
  | "survival"
  | "intubated"
  | "intubationPresent"
  | "extubated"
  | "wentIcu"
  | "inIcu"
  | "neededSupplementalO2"
  | "temperatureC"
  | "po2Saturation"
  | "leukocyteCount"
  | "neutrophilCount"
  | "lymphocyteCount"
  | "offsetDays"
  | "location"
  | "clinicalExtra"
>;

// clinicalExtra is JSON written by the importers (column -> text); anything else in it is shown as text too
const extraSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

const yesNo = (v: boolean) => (v ? "yes" : "no");
const number = (v: number, unit: string) => `${Number(v.toFixed(2))}${unit}`;
// the data set's counts are in 10^3 per microlitre, which is 10^9 per litre
const COUNT_UNIT = " ×10⁹/L";

export function clinicalGroups(image: ClinicalColumns): ClinicalGroup[] {
  const items = <T>(rows: [string, T | null, (v: T) => string][]): ClinicalItem[] =>
    rows.flatMap(([label, v, show]) => (v === null ? [] : [{ label, value: show(v) }]));
  const extra = extraSchema.safeParse(image.clinicalExtra);
  const groups: ClinicalGroup[] = [
    {
      key: "rt-pcr",
      title: "RT-PCR",
      items: items([["Result", image.rtPcrPositive, (v) => (v ? "positive" : "negative")]]),
    },
    {
      key: "outcome",
      title: "Outcome",
      items: items([
        ["Survived", image.survival, yesNo],
        ["Intubated (ever)", image.intubated, yesNo],
        ["Intubated at this image", image.intubationPresent, yesNo],
        ["Extubated", image.extubated, yesNo],
        ["ICU (ever)", image.wentIcu, yesNo],
        ["In ICU at this image", image.inIcu, yesNo],
        ["Supplemental O₂", image.neededSupplementalO2, yesNo],
      ]),
    },
    {
      key: "vitals",
      title: "Vitals",
      items: items([
        ["Temperature", image.temperatureC, (v) => number(v, " °C")],
        ["pO₂ saturation", image.po2Saturation, (v) => number(v, " %")],
      ]),
    },
    {
      key: "laboratory",
      title: "Laboratory",
      items: items([
        ["Leukocytes", image.leukocyteCount, (v) => number(v, COUNT_UNIT)],
        ["Neutrophils", image.neutrophilCount, (v) => number(v, COUNT_UNIT)],
        ["Lymphocytes", image.lymphocyteCount, (v) => number(v, COUNT_UNIT)],
      ]),
    },
    {
      key: "other",
      title: "Other columns",
      items: [
        ...items([["Days since onset or admission", image.offsetDays, (v) => `${v}`]]),
        ...items([["Location", image.location, (v) => v]]),
        ...Object.entries(extra.success ? extra.data : {}).map(([label, v]) => ({ label, value: `${v}` })),
      ],
    },
  ];
  return groups.filter((g) => g.items.length > 0);
}
