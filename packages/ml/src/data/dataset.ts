// Reads a data set folder: labels.csv (file,label,patient_id; file relative to the folder), images, and
// optional lesion masks at masks/<image file name>.
import { access, readFile } from "node:fs/promises";
import { basename, join, normalize, sep } from "node:path";
import { parse } from "csv-parse/sync";
import { z } from "zod";

const rowSchema = z.object({
  file: z.string().trim().min(1, "file is empty"),
  label: z.string().trim().min(1, "label is empty"),
  patient_id: z.string().trim().min(1, "patient_id is empty"),
});

export interface DatasetRow {
  /** as written in labels.csv */
  file: string;
  label: string;
  patientId: string;
  /** absolute or cwd-relative path of the image */
  path: string;
  /** the lesion mask, where one exists */
  maskPath?: string;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

export async function readDataset(
  dir: string,
  options: { requireImages?: boolean } = {},
): Promise<DatasetRow[]> {
  const csvPath = join(dir, "labels.csv");
  let text: string;
  try {
    text = await readFile(csvPath, "utf8");
  } catch {
    throw new Error(`cannot read ${csvPath}`);
  }
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<
      string,
      string
    >[];
  } catch (error) {
    throw new Error(
      `${csvPath} is not valid CSV: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
    );
  }
  if (records.length === 0) throw new Error(`${csvPath} has no rows`);
  const rows: DatasetRow[] = [];
  for (const [i, record] of records.entries()) {
    const parsed = rowSchema.safeParse(record);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(
        `${csvPath} row ${i + 2}: ${issue?.path.join(".") || "row"} ${issue?.message ?? "is invalid"} (header must be file,label,patient_id)`,
      );
    }
    const file = parsed.data.file;
    const rel = normalize(file);
    if (rel.startsWith("..") || rel.startsWith(sep))
      throw new Error(`${csvPath} row ${i + 2}: file must stay inside ${dir}`);
    const path = join(dir, rel);
    if (options.requireImages !== false && !(await exists(path)))
      throw new Error(`${csvPath} row ${i + 2}: cannot read ${path}`);
    const maskPath = join(dir, "masks", basename(rel));
    rows.push({
      file,
      label: parsed.data.label,
      patientId: parsed.data.patient_id,
      path,
      ...((await exists(maskPath)) ? { maskPath } : {}),
    });
  }
  return rows;
}

/** Class names in first-seen order, unless an order is given (every label must be in it). */
export function classIndices(
  rows: readonly DatasetRow[],
  classes?: readonly string[],
): { classes: string[]; labels: number[] } {
  const names = classes ? [...classes] : [...new Set(rows.map((r) => r.label))];
  const index = new Map(names.map((n, i) => [n, i]));
  const labels = rows.map((r) => {
    const k = index.get(r.label);
    if (k === undefined)
      throw new Error(
        `label "${r.label}" (${r.file}) is not one of the model's classes: ${names.join(", ")}`,
      );
    return k;
  });
  return { classes: names, labels };
}
