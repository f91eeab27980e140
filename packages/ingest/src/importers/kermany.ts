// Kermany et al.'s "Chest X-Ray Images (Pneumonia)": chest_xray/{train,test,val}/{NORMAL,PNEUMONIA}/*.jpeg.
// Patients come from the file names (person1_bacteria_1.jpeg, IM-0115-0001.jpeg, NORMAL2-IM-0427-0001.jpeg).
import { readdir } from "node:fs/promises";
import path from "node:path";
import type { IngestContext } from "../context";
import { isDirectory } from "../files";
import { fileItem, settledItem } from "../items";
import type { LabelSetClasses } from "../labels";
import type { WorkItem } from "../runner";
import { DatasetLayoutError } from "./layout";

const SPLITS = ["train", "test", "val"];
const CLASSES: Record<string, { key: string }> = {
  NORMAL: { key: "normal" },
  PNEUMONIA: { key: "pneumonia" },
};

/** The chest_xray folder: the path itself, or chest_xray/ inside it (the Kaggle archive nests it). */
export async function findKermanyRoot(input: string): Promise<string> {
  for (const candidate of [input, path.join(input, "chest_xray")]) {
    const present = [];
    for (const split of SPLITS) if (await isDirectory(path.join(candidate, split))) present.push(split);
    if (present.length > 0) return candidate;
  }
  throw new DatasetLayoutError(
    `${input} is not Kermany's chest_xray folder: expected train/, test/ or val/ with NORMAL/ and PNEUMONIA/ inside`,
  );
}

export function kermanyPatient(file: string): string {
  const stem = path.basename(file).replace(/\.[^.]+$/, "");
  const person = stem.match(/^(person\d+)_/i);
  if (person?.[1]) return person[1].toLowerCase();
  const normal = stem.match(/^((?:NORMAL2-)?IM-\d+)-\d+$/i);
  return normal?.[1] ?? stem;
}

export function kermanyFinding(classFolder: string, file: string): string {
  if (classFolder === "NORMAL") return "No Finding";
  if (/_bacteria_/i.test(file)) return "Pneumonia/Bacterial";
  if (/_virus_/i.test(file)) return "Pneumonia/Viral";
  return "Pneumonia";
}

export async function planKermany(
  ctx: IngestContext,
  input: string,
  labelSet: LabelSetClasses,
): Promise<WorkItem[]> {
  const root = await findKermanyRoot(input);
  const items: WorkItem[] = [];
  for (const split of SPLITS) {
    for (const classFolder of Object.keys(CLASSES)) {
      const dir = path.join(root, split, classFolder);
      if (!(await isDirectory(dir))) continue;
      const files = (await readdir(dir))
        .filter((f) => /\.(jpe?g|png)$/i.test(f) && !f.startsWith("."))
        .sort();
      for (const file of files) {
        const key = `${split}/${classFolder}/${file}`;
        const classKey = CLASSES[classFolder]?.key ?? "";
        const classId = labelSet.classes.get(classKey);
        if (!classId) {
          items.push(
            settledItem(key, {
              status: "SKIPPED",
              reason: "UNKNOWN_FINDING",
              message: `label set ${labelSet.name} has no class "${classKey}"`,
            }),
          );
          continue;
        }
        const patient = kermanyPatient(file);
        items.push(
          fileItem(ctx, key, path.join(dir, file), () => ({
            patient: { source: "DATASET_KERMANY", externalId: patient },
            study: { key: "chest_xray", description: "Kermany chest_xray" },
            image: {
              source: "DATASET_KERMANY",
              sourceRef: key,
              modality: "DX",
              clinical: {
                finding: kermanyFinding(classFolder, file),
                folder: `${split}/${classFolder}`,
                filename: file,
              },
            },
            label: { labelSetId: labelSet.id, classId },
          })),
        );
      }
    }
  }
  if (items.length === 0)
    throw new DatasetLayoutError(`${root} has no images in {train,test,val}/{NORMAL,PNEUMONIA}/`);
  return items;
}
