// Decodes the images (and masks) of data-set rows, with their class indices.
import { readFile } from "node:fs/promises";
import { sha256 } from "../checksum";
import { decodeGray, readGray } from "../image/decode";
import { type GrayImage } from "../image/gray-image";
import { classIndices, type DatasetRow } from "./dataset";

export interface LabeledImage {
  file: string;
  label: number;
  patientId: string;
  image: GrayImage;
  /** lesion mask (1 inside); absent without a mask file, all zero for normal */
  mask?: GrayImage;
  /** SHA-256 of the image file (embedding cache key) */
  hash: string;
}

export async function loadImages(
  rows: readonly DatasetRow[],
  classes: readonly string[],
): Promise<LabeledImage[]> {
  const { labels } = classIndices(rows, classes);
  const out: LabeledImage[] = [];
  for (const [i, row] of rows.entries()) {
    let bytes: Buffer;
    try {
      bytes = await readFile(row.path);
    } catch {
      throw new Error(`cannot read image ${row.path}`);
    }
    let image: GrayImage;
    try {
      image = await decodeGray(bytes);
    } catch {
      throw new Error(`cannot decode image ${row.path}`);
    }
    const item: LabeledImage = {
      file: row.file,
      label: labels[i] as number,
      patientId: row.patientId,
      image,
      hash: sha256(bytes),
    };
    if (row.maskPath) item.mask = await readGray(row.maskPath);
    out.push(item);
  }
  return out;
}

export function hasLesion(mask: GrayImage | undefined): mask is GrayImage {
  return mask !== undefined && mask.data.some((v) => v > 0.5);
}
