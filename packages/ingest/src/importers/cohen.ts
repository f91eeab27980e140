// Cohen et al.'s covid-chest-xray: metadata.csv (patientid, offset, sex, age, finding, RT_PCR_positive, survival,
// intubated, ..., view, modality, date, location, folder, filename, doi, url, license, clinical_notes) beside images/
// (and volumes/ for CT). Rows map onto the clinical metadata columns, the columns without one go to clinicalExtra as
// text; filters like the source report's notebook (view PA only, modality X-ray) are options.
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
// Cohen's yes/no and numeric columns and the Image field each fills. They are read as text first: a value that
// does not parse is kept as it came (in clinicalExtra) and named in the row's message, never dropped silently.
const YES_NO_COLUMNS = {
  RT_PCR_positive: "rtPcrPositive",
  survival: "survival",
  intubated: "intubated",
  intubation_present: "intubationPresent",
  went_icu: "wentIcu",
  in_icu: "inIcu",
  needed_supplemental_O2: "neededSupplementalO2",
  extubated: "extubated",
} as const satisfies Record<string, keyof ClinicalMetadata>;
const NUMBER_COLUMNS = {
  offset: "offsetDays",
  age: "ageYears",
  temperature: "temperatureC",
  pO2_saturation: "po2Saturation",
  leukocyte_count: "leukocyteCount",
  neutrophil_count: "neutrophilCount",
  lymphocyte_count: "lymphocyteCount",
} as const satisfies Record<string, keyof ClinicalMetadata>;
type YesNoColumn = keyof typeof YES_NO_COLUMNS;
type NumberColumn = keyof typeof NUMBER_COLUMNS;

const textColumns = <K extends string>(columns: Record<K, unknown>) =>
  Object.fromEntries(Object.keys(columns).map((c) => [c, text])) as Record<K, typeof text>;

const rowSchema = z.object({
  patientid: z.string().trim().min(1, "patientid is empty"),
  ...textColumns(YES_NO_COLUMNS),
  ...textColumns(NUMBER_COLUMNS),
  sex: text,
  finding: text,
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
type CohenRow = z.infer<typeof rowSchema>;

export interface CohenClinicalColumns {
  values: Partial<Record<(typeof YES_NO_COLUMNS)[YesNoColumn], boolean>> &
    Partial<Record<(typeof NUMBER_COLUMNS)[NumberColumn], number>>;
  /** every column without an Image field, and every value that did not parse, as text (empty cells left out) */
  extra: Record<string, string>;
  /** one line per value that did not parse */
  problems: string[];
}

/** The row's yes/no and numeric columns parsed, and the rest of its columns as text. */
export function cohenClinicalColumns(row: CohenRow, raw: Record<string, string>): CohenClinicalColumns {
  const values: CohenClinicalColumns["values"] = {};
  const extra: Record<string, string> = {};
  const problems: string[] = [];
  const keep = (column: string, value: string, why: string) => {
    extra[column] = value;
    problems.push(`${column} "${value}" ${why}, kept as text`);
  };
  for (const [column, field] of Object.entries(YES_NO_COLUMNS)) {
    const value = row[column as YesNoColumn];
    if (value === undefined) continue;
    const upper = value.toUpperCase();
    if (upper === "Y" || upper === "N") values[field] = upper === "Y";
    else keep(column, value, "is not Y or N");
  }
  for (const [column, field] of Object.entries(NUMBER_COLUMNS)) {
    const value = row[column as NumberColumn];
    if (value === undefined) continue;
    if (/^-?\d+(\.\d+)?$/.test(value)) values[field] = Number(value);
    else keep(column, value, "is not a number");
  }
  for (const [column, value] of Object.entries(raw)) {
    if (column in rowSchema.shape || !value?.trim()) continue;
    extra[column] = value.trim();
  }
  return { values, extra, problems };
}

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
    const { values, extra, problems } = cohenClinicalColumns(row, raw);
    const clinical: ClinicalMetadata = {
      ...values,
      offsetDays: values.offsetDays === undefined ? undefined : Math.round(values.offsetDays),
      finding: row.finding,
      clinicalExtra: Object.keys(extra).length > 0 ? extra : undefined,
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
        key: `${row.date ?? ""}|${values.offsetDays ?? ""}`,
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
      // imported all the same: what did not parse is in clinicalExtra, and the row's report says so
      note: problems.length > 0 ? `row ${index + 2}: ${problems.join("; ")}` : undefined,
    }));
  });
}
