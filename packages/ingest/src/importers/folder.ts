// Any folder of PNG, JPEG and DICOM files. A file's parent folder names its label when it is a known finding
// ("normal", "pneumonia", "COVID-19", "lung_opacity"); DICOM files bring their own patient and study.
import path from "node:path";
import type { IngestContext } from "../context";
import { dicomRequest } from "../dicom-request";
import { IMAGE_EXTENSIONS, isDirectory, walkFiles } from "../files";
import { fileItem } from "../items";
import { findingToClassKey, type LabelSetClasses } from "../labels";
import type { WorkItem } from "../runner";
import { DatasetLayoutError } from "./layout";

export async function planFolder(
  ctx: IngestContext,
  input: string,
  labelSet: LabelSetClasses,
): Promise<WorkItem[]> {
  if (!(await isDirectory(input))) throw new DatasetLayoutError(`${input} is not a folder`);
  const files = (await walkFiles(input)).filter((f) => IMAGE_EXTENSIONS.test(f) || !path.extname(f));
  return files.map((rel) =>
    fileItem(ctx, rel, path.join(input, rel), (prepared) => {
      if (prepared.kind === "dicom") return dicomRequest(prepared, "FOLDER", rel);
      const parent = rel.split("/").slice(-2, -1)[0];
      const classKey = findingToClassKey(parent?.replace(/_/g, " "));
      const classId = classKey ? labelSet.classes.get(classKey) : undefined;
      const stem = rel.replace(/\.[^.]+$/, "");
      return {
        patient: { source: "FOLDER", externalId: stem },
        study: { key: stem },
        image: {
          source: "FOLDER",
          sourceRef: rel,
          modality: "DX",
          clinical: { folder: path.dirname(rel), filename: path.basename(rel) },
        },
        label: classId ? { labelSetId: labelSet.id, classId } : undefined,
      };
    }),
  );
}

/** `ingest dicom FILE_OR_DIR...`: DICOM files given one by one or found in folders. */
export async function planDicomPaths(ctx: IngestContext, inputs: string[]): Promise<WorkItem[]> {
  const items: WorkItem[] = [];
  for (const input of inputs) {
    const absolute = path.resolve(input);
    const files = (await isDirectory(absolute))
      ? (await walkFiles(absolute)).map((rel) => path.join(absolute, rel))
      : [absolute];
    for (const file of files) {
      items.push(
        fileItem(ctx, file, file, (prepared) =>
          prepared.kind === "dicom"
            ? dicomRequest(prepared, "DICOM_FILE", file)
            : {
                status: "SKIPPED",
                reason: "UNSUPPORTED",
                message: `not a DICOM file (${prepared.kind.toUpperCase()})`,
              },
        ),
      );
    }
  }
  return items;
}
