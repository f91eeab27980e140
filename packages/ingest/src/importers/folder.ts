// Any folder of PNG, JPEG and DICOM files. A file's parent folder names its label when it is a known finding
// ("normal", "pneumonia", "COVID-19", "lung_opacity"); DICOM files bring their own patient and study. With a
// masks folder that mirrors the images' paths, each labelled image's lesion mask comes along as its label's
// regions of interest (which then guide training).
import path from "node:path";
import { type StoredRoi } from "@cxr/domain";
import { decodeRaster, describeError, maskToRois } from "@cxr/imaging";
import type { IngestContext } from "../context";
import { dicomRequest } from "../dicom-request";
import { IMAGE_EXTENSIONS, isDirectory, MissingFileError, readBounded, walkFiles } from "../files";
import type { ItemResult } from "../jobs";
import { fileItem } from "../items";
import { findingToClassKey, type LabelSetClasses } from "../labels";
import type { WorkItem } from "../runner";
import { DatasetLayoutError } from "./layout";

export async function planFolder(
  ctx: IngestContext,
  input: string,
  labelSet: LabelSetClasses,
  options: { masks?: string } = {},
): Promise<WorkItem[]> {
  if (!(await isDirectory(input))) throw new DatasetLayoutError(`${input} is not a folder`);
  const masks = options.masks ? path.resolve(options.masks) : undefined;
  if (masks && !(await isDirectory(masks))) throw new DatasetLayoutError(`${masks} is not a folder of masks`);
  // a masks folder inside the data set is not imported as images
  const masksRel = masks ? path.relative(input, masks).split(path.sep).join("/") : undefined;
  const insideMasks = (rel: string) =>
    masksRel !== undefined && !masksRel.startsWith("..") && rel.startsWith(`${masksRel}/`);
  const files = (await walkFiles(input)).filter(
    (f) => (IMAGE_EXTENSIONS.test(f) || !path.extname(f)) && !insideMasks(f),
  );
  return files.map((rel) =>
    fileItem(ctx, rel, path.join(input, rel), async (prepared) => {
      if (prepared.kind === "dicom") return dicomRequest(prepared, "FOLDER", rel);
      const parent = rel.split("/").slice(-2, -1)[0];
      const classKey = findingToClassKey(parent?.replace(/_/g, " "));
      const classId = classKey ? labelSet.classes.get(classKey) : undefined;
      const stem = rel.replace(/\.[^.]+$/, "");
      const rois = classId && masks ? await lesionMask(ctx, masks, rel) : { rois: [] };
      if ("status" in rois) return rois;
      return {
        patient: { source: "FOLDER", externalId: stem },
        study: { key: stem },
        image: {
          source: "FOLDER",
          sourceRef: rel,
          modality: "DX",
          clinical: { folder: path.dirname(rel), filename: path.basename(rel) },
        },
        label: classId ? { labelSetId: labelSet.id, classId, rois: rois.rois } : undefined,
      };
    }),
  );
}

/**
 * The lesion mask at the image's relative path in the masks folder (any PNG or JPEG, lesion where it is brighter
 * than half its maximum) as outlines; none when there is no mask file. A mask that cannot be decoded fails the
 * item, so the image is not imported without the regions the data set gave it.
 */
async function lesionMask(
  ctx: IngestContext,
  masks: string,
  rel: string,
): Promise<{ rois: StoredRoi[] } | ItemResult> {
  const file = path.join(masks, rel);
  let bytes: Buffer;
  try {
    bytes = await readBounded(file, ctx.limits);
  } catch (error) {
    if (error instanceof MissingFileError) return { rois: [] };
    throw error;
  }
  try {
    const { image } = await decodeRaster(bytes, ctx.limits);
    let max = 0;
    for (const v of image.data) max = Math.max(max, v);
    return { rois: max > 0 ? maskToRois(image, max / 2) : [] };
  } catch (error) {
    return {
      status: "FAILED",
      reason: "UNREADABLE_IMAGE",
      message: `the mask ${file} cannot be read: ${describeError(error)}`,
    };
  }
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
