// Cohen et al.'s covid-chest-xray: metadata.csv (patientid, offset, sex, age, finding, survival, intubated, ...,
// view, modality, date, location, folder, filename, doi, url, license, clinical_notes) beside images/ (and
// volumes/ for CT). Rows map onto the clinical metadata columns; filters like the source report's notebook
// (view PA only, modality X-ray) are options.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { z } from "zod";
import { describeError, mapSex, mapViewPosition, parseLooseDate } from "@cxr/imaging";
import type { IngestContext } from "../context";
import { isDirectory } from "../files";
import { fileItem, settledItem } from "../items";
import { findingToClassKey, type LabelSetClasses } from "../labels";
import type { WorkItem } from "../runner";
import type { ClinicalMetadata } from "../store-image";
import { DatasetLayoutError } from "./layout";

export const COHEN_REQUIRED_COLUMNS = ["patientid", "finding", "view", "modality", "filename"] as const;

export const cohenOptionsSchema = z.object({
  /** keep only these views (`view` column, e.g. "PA"); empty: all */
  views: z.array(z.string().min(1)).default([]),
  /** keep only these modalities (`modality` column, e.g. "X-ray"); empty: all */
  modalities: z.array(z.string().min(1)).default([]),
});
export type CohenOptions = z.input<typeof cohenOptionsSchema>;

const text = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v.trim() : undefined));
const yesNo = text.transform((v) =>
  v?.toUpperCase() === "Y" ? true : v?.toUpperCase() === "N" ? false : undefined,
);
const number = text.transform((v) => (v !== undefined && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : undefined));

const rowSchema = z.object({
  patientid: z.string().trim().min(1, "patientid is empty"),
  offset: number,
  sex: text,
  age: number,
  finding: text,
  survival: yesNo,
  intubated: yesNo,
  intubation_present: yesNo,
  went_icu: yesNo,
  in_icu: yesNo,
  needed_supplemental_O2: yesNo,
  extubated: yesNo,
  temperature: number,
  pO2_saturation: number,
  leukocyte_count: number,
  neutrophil_count: number,
  lymphocyte_count: number,
  view: text,
  modality: text,
  date: text,
  location: text,
  folder: text,
  filename: z.string().trim().min(1, "filename is empty"),
  doi: text,
  url: text,
  license: text,
  clinical_notes: text,
  other_notes: text,
});

/** Finds metadata.csv from the repository folder or the file itself; checks its header. */
export async function readCohenMetadata(
  input: string,
): Promise<{ root: string; rows: Record<string, string>[] }> {
  const csvPath = (await isDirectory(input)) ? path.join(input, "metadata.csv") : input;
  let content: string;
  try {
    content = await readFile(csvPath, "utf8");
  } catch {
    throw new DatasetLayoutError(
      `${csvPath} not found: point at the covid-chest-xray folder that holds metadata.csv and images/`,
    );
  }
  let rows: Record<string, string>[];
  let header: string[] = [];
  try {
    rows = parse(content, {
      bom: true,
      columns: (names: string[]) => (header = names.map((n) => n.trim())),
      skip_empty_lines: true,
      relax_column_count: true,
    }) as Record<string, string>[];
  } catch (error) {
    throw new DatasetLayoutError(`${csvPath} is not a readable CSV file: ${describeError(error)}`);
  }
  const missing = COHEN_REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new DatasetLayoutError(
      `${csvPath} lacks the column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}: it is not covid-chest-xray's metadata.csv (found: ${header.join(", ") || "no header"})`,
    );
  }
  return { root: path.dirname(csvPath), rows };
}

const matches = (value: string | undefined, wanted: string[]) =>
  wanted.length === 0 || wanted.some((w) => w.toLowerCase() === (value ?? "").toLowerCase());

export async function planCohen(
  ctx: IngestContext,
  input: string,
  labelSet: LabelSetClasses,
  options: CohenOptions = {},
): Promise<WorkItem[]> {
  const { views, modalities } = cohenOptionsSchema.parse(options);
  const { root, rows } = await readCohenMetadata(input);
  const seen = new Map<string, number>();
  return rows.map((raw, index) => {
    const folder = raw.folder?.trim() || "images";
    const baseKey = `${folder}/${raw.filename?.trim() ?? `row-${index + 2}`}`;
    const count = (seen.get(baseKey) ?? 0) + 1;
    seen.set(baseKey, count);
    const key = count > 1 ? `${baseKey}#${count}` : baseKey;
    const parsed = rowSchema.safeParse(raw);
    if (!parsed.success) {
      return settledItem(key, {
        status: "SKIPPED",
        reason: "INVALID_METADATA",
        message: `row ${index + 2}: ${parsed.error.issues.map((i) => i.message).join("; ")}`,
      });
    }
    const row = parsed.data;
    if (!matches(row.view, views))
      return settledItem(key, {
        status: "SKIPPED",
        reason: "FILTERED",
        message: `view ${row.view ?? "(none)"} is not ${views.join(" or ")}`,
      });
    if (!matches(row.modality, modalities)) {
      return settledItem(key, {
        status: "SKIPPED",
        reason: "FILTERED",
        message: `modality ${row.modality ?? "(none)"} is not ${modalities.join(" or ")}`,
      });
    }
    const modality =
      row.modality?.toLowerCase() === "ct"
        ? "CT"
        : row.modality?.toLowerCase().replace(/[^a-z]/g, "") === "xray"
          ? "DX"
          : undefined;
    if (!modality)
      return settledItem(key, {
        status: "SKIPPED",
        reason: "UNSUPPORTED",
        message: `modality ${row.modality ?? "(none)"} is neither X-ray nor CT`,
      });
    const classKey = findingToClassKey(row.finding);
    const classId = classKey ? labelSet.classes.get(classKey) : undefined;
    if (!classId) {
      const why = classKey
        ? `maps to "${classKey}", which label set ${labelSet.name} lacks`
        : "names no class of the platform";
      return settledItem(key, {
        status: "SKIPPED",
        reason: "UNKNOWN_FINDING",
        message: `finding "${row.finding ?? ""}" ${why}`,
      });
    }
    const date = parseLooseDate(row.date);
    const clinical: ClinicalMetadata = {
      offsetDays: row.offset === undefined ? undefined : Math.round(row.offset),
      ageYears: row.age,
      finding: row.finding,
      survival: row.survival,
      intubated: row.intubated,
      intubationPresent: row.intubation_present,
      wentIcu: row.went_icu,
      inIcu: row.in_icu,
      neededSupplementalO2: row.needed_supplemental_O2,
      extubated: row.extubated,
      temperatureC: row.temperature,
      po2Saturation: row.pO2_saturation,
      leukocyteCount: row.leukocyte_count,
      neutrophilCount: row.neutrophil_count,
      lymphocyteCount: row.lymphocyte_count,
      acquiredAt: date?.date,
      acquiredAtText: row.date && !date?.exact ? row.date : undefined,
      location: row.location,
      folder,
      filename: row.filename,
      doi: row.doi,
      url: row.url,
      license: row.license,
      clinicalNotes: [row.clinical_notes, row.other_notes].filter(Boolean).join("\n") || undefined,
    };
    return fileItem(ctx, key, path.join(root, folder, row.filename), () => ({
      patient: { source: "DATASET_COHEN", externalId: row.patientid, sex: mapSex(row.sex) },
      // one study per patient and time point
      study: {
        key: `${row.date ?? ""}|${row.offset ?? ""}`,
        studyDate: date?.date,
        description: "covid-chest-xray",
      },
      image: {
        source: "DATASET_COHEN",
        sourceRef: key,
        modality,
        viewPosition: mapViewPosition(row.view),
        clinical,
      },
      label: { labelSetId: labelSet.id, classId },
    }));
  });
}
