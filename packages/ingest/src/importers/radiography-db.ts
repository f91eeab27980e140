// The COVID-19 Radiography Database: COVID/, Normal/, Lung_Opacity/, Viral Pneumonia/ with the images in an
// images/ subfolder (newer releases, beside masks/) or directly inside (older ones), and one spreadsheet per
// class (COVID.metadata.xlsx: FILE NAME, FORMAT, SIZE, URL) where present.
import { readdir } from "node:fs/promises";
import path from "node:path";
import ExcelJS from "exceljs";
import { describeError } from "@cxr/imaging";
import type { IngestContext } from "../context";
import { isDirectory } from "../files";
import { fileItem, settledItem } from "../items";
import type { LabelSetClasses } from "../labels";
import type { WorkItem } from "../runner";
import { DatasetLayoutError } from "./layout";

/** Class folders as the releases name them, with the finding and class they stand for. */
const CLASS_FOLDERS: { names: string[]; finding: string; key: string }[] = [
  { names: ["COVID", "COVID-19"], finding: "COVID-19", key: "covid-19" },
  { names: ["Normal", "NORMAL"], finding: "No Finding", key: "normal" },
  { names: ["Lung_Opacity", "Lung Opacity"], finding: "Lung Opacity", key: "lung-opacity" },
  { names: ["Viral Pneumonia"], finding: "Pneumonia/Viral", key: "pneumonia" },
];

export interface SheetRow {
  url?: string;
  format?: string;
}

/** FILE NAME (without extension, lower case) -> URL and format, from `<class>.metadata.xlsx`. */
export async function readClassSheet(file: string): Promise<Map<string, SheetRow>> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(file);
  } catch (error) {
    throw new DatasetLayoutError(`${file} is not a readable spreadsheet: ${describeError(error)}`);
  }
  const sheet = workbook.worksheets[0];
  const rows = new Map<string, SheetRow>();
  if (!sheet) return rows;
  const header = new Map<string, number>();
  sheet.getRow(1).eachCell((cell, column) => header.set(String(cell.text).trim().toUpperCase(), column));
  const nameColumn = header.get("FILE NAME");
  if (!nameColumn) throw new DatasetLayoutError(`${file} has no "FILE NAME" column`);
  sheet.eachRow((row, index) => {
    if (index === 1) return;
    const name = String(row.getCell(nameColumn).text)
      .trim()
      .replace(/\.[a-z]+$/i, "")
      .toLowerCase();
    const cell = (title: string) => {
      const column = header.get(title);
      const value = column ? String(row.getCell(column).text).trim() : "";
      return value || undefined;
    };
    if (name) rows.set(name, { url: cell("URL"), format: cell("FORMAT") });
  });
  return rows;
}

export async function planRadiographyDb(
  ctx: IngestContext,
  input: string,
  labelSet: LabelSetClasses,
): Promise<WorkItem[]> {
  const entries = await readdir(input).catch(() => {
    throw new DatasetLayoutError(`${input} is not a folder`);
  });
  const items: WorkItem[] = [];
  let classFoldersFound = 0;
  for (const cls of CLASS_FOLDERS) {
    const folder = cls.names.find((n) => entries.includes(n));
    if (!folder) continue;
    classFoldersFound += 1;
    const withImages = path.join(input, folder, "images");
    const imageDir = (await isDirectory(withImages)) ? withImages : path.join(input, folder);
    const sheetName = entries.find((e) => e.toLowerCase() === `${folder.toLowerCase()}.metadata.xlsx`);
    const sheet = sheetName ? await readClassSheet(path.join(input, sheetName)) : new Map<string, SheetRow>();
    const files = (await readdir(imageDir))
      .filter((f) => /\.(png|jpe?g)$/i.test(f) && !f.startsWith("."))
      .sort();
    const classId = labelSet.classes.get(cls.key);
    for (const file of files) {
      const relDir = path.relative(input, imageDir).split(path.sep).join("/");
      const key = `${relDir}/${file}`;
      if (!classId) {
        items.push(
          settledItem(key, {
            status: "SKIPPED",
            reason: "UNKNOWN_FINDING",
            message: `finding "${cls.finding}" maps to "${cls.key}", which label set ${labelSet.name} lacks`,
          }),
        );
        continue;
      }
      const stem = file.replace(/\.[^.]+$/, "");
      const meta = sheet.get(stem.toLowerCase());
      items.push(
        fileItem(ctx, key, path.join(imageDir, file), () => ({
          // the data set names no patients: each image stands for its own
          patient: { source: "DATASET_RADIOGRAPHY_DB", externalId: stem },
          study: { key: stem, description: "COVID-19 Radiography Database" },
          image: {
            source: "DATASET_RADIOGRAPHY_DB",
            sourceRef: key,
            modality: "DX",
            clinical: { finding: cls.finding, folder: relDir, filename: file, url: meta?.url },
          },
          label: { labelSetId: labelSet.id, classId },
        })),
      );
    }
  }
  if (classFoldersFound === 0) {
    throw new DatasetLayoutError(
      `${input} is not the COVID-19 Radiography Database: expected folders COVID, Normal, Lung_Opacity, Viral Pneumonia`,
    );
  }
  return items;
}
