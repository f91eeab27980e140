// ROIs as COCO JSON (object detection / instance segmentation format) for the audit page's selection:
// categories from the label set (id = class index + 1), one image per selected image (pixel size), one
// annotation per region that is not deleted: outlines, boxes and ellipses as polygons in pixels, brush strokes
// rasterised to run-length encoding (uncompressed RLE, column-major as COCO counts it). Each annotation also
// carries the region as drawn (`cxr`: shape, normalised points, stroke width, author, note) so an import of the
// file restores it exactly (coco-import.ts). Streamed in two passes over the selection (images, then their
// annotations), batch by batch.
import { Prisma, type Db } from "@cxr/db";
import { storedRoiSchema, type StoredRoi } from "@cxr/domain";
import { rasterizeRois } from "@cxr/imaging";
import { outline } from "~/lib/review/brush";
import { labelClasses, type ResolvedModel } from "../audit/scope";
import { selectedBatches, type ExportFilter } from "./labels";

export interface CocoRle {
  size: [number, number];
  counts: number[];
}

export interface CocoAnnotation {
  id: number;
  image_id: number;
  category_id: number;
  segmentation: number[][] | CocoRle;
  bbox: [number, number, number, number];
  area: number;
  iscrowd: 0 | 1;
  cxr: {
    shape: string;
    points: [number, number][];
    strokeWidth: number | null;
    author: string | null;
    note: string | null;
  };
}

const round = (v: number) => Math.round(v * 100) / 100;

/** A closed outline in pixels for the shapes that have one (points and brush strokes do not). */
export function outlinePixels(roi: StoredRoi, width: number, height: number): [number, number][] | null {
  if (roi.shape === "POINT" || roi.shape === "BRUSH") return null;
  // the viewer's own outline (boxes: 4 corners, ellipses: a polygon), so the file shows what readers saw
  const drawn = outline({ id: "export", classId: null, shape: roi.shape, points: roi.points });
  return drawn.map(([x, y]) => [x * width, y * height]);
}

/** A binary mask (row-major, > 127 is inside) as COCO's uncompressed RLE: column-major runs, zeros first. */
export function maskToRle(mask: Uint8Array, width: number, height: number): CocoRle {
  const counts: number[] = [];
  let inside = false;
  let run = 0;
  for (let x = 0; x < width; x++)
    for (let y = 0; y < height; y++) {
      const v = mask[y * width + x]! > 127;
      if (v !== inside) {
        counts.push(run);
        run = 0;
        inside = v;
      }
      run++;
    }
  counts.push(run);
  return { size: [height, width], counts };
}

function bboxOf(points: readonly [number, number][]): [number, number, number, number] {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const [x0, y0] = [Math.min(...xs), Math.min(...ys)];
  return [round(x0), round(y0), round(Math.max(...xs) - x0), round(Math.max(...ys) - y0)];
}

const shoelace = (pts: readonly [number, number][]) =>
  Math.abs(
    pts.reduce(
      (s, [x, y], i) => s + x * pts[(i + 1) % pts.length]![1] - pts[(i + 1) % pts.length]![0] * y,
      0,
    ),
  ) / 2;

/** One stored region as a COCO annotation (null when it has no pixels: a point, an empty brush). */
export async function toCocoAnnotation(
  roi: StoredRoi,
  image: { width: number; height: number },
  base: Pick<CocoAnnotation, "id" | "image_id" | "category_id"> & {
    author: string | null;
    note: string | null;
  },
): Promise<CocoAnnotation | null> {
  const { author, note, ...ids } = base;
  const cxr = { shape: roi.shape, points: roi.points, strokeWidth: roi.strokeWidth ?? null, author, note };
  const outline = outlinePixels(roi, image.width, image.height);
  if (outline)
    return {
      ...ids,
      segmentation: [outline.flatMap(([x, y]) => [round(x), round(y)])],
      bbox: bboxOf(outline),
      area: round(shoelace(outline)),
      iscrowd: 0,
      cxr,
    };
  if (roi.shape !== "BRUSH") return null;
  const mask = await rasterizeRois([roi], image.width, image.height);
  let area = 0;
  let [x0, y0, x1, y1] = [image.width, image.height, -1, -1];
  for (let y = 0; y < image.height; y++)
    for (let x = 0; x < image.width; x++)
      if (mask.data[y * image.width + x]! > 127) {
        area++;
        [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
      }
  if (area === 0) return null;
  return {
    ...ids,
    segmentation: maskToRle(mask.data, image.width, image.height),
    bbox: [x0, y0, x1 - x0 + 1, y1 - y0 + 1],
    area,
    iscrowd: 1,
    cxr,
  };
}

/**
 * The regions (not deleted) of some images with their class in the label set: their own, else their read's;
 * a region without a class or a valid shape is left out. In image id order, then as drawn.
 */
export async function classedRegions(db: Db, imageIds: string[], labelSetId: string) {
  const annotations = await db.annotation.findMany({
    where: { imageId: { in: imageIds }, deletedAt: null },
    orderBy: [{ imageId: "asc" }, { createdAt: "asc" }, { id: "asc" }],
    select: {
      imageId: true,
      shape: true,
      points: true,
      strokeWidth: true,
      classId: true,
      note: true,
      author: { select: { email: true } },
      read: { select: { classId: true, labelSetId: true } },
    },
  });
  return annotations.flatMap((a) => {
    const classId = a.classId ?? (a.read?.labelSetId === labelSetId ? a.read.classId : null);
    const roi = storedRoiSchema.safeParse({ shape: a.shape, points: a.points, strokeWidth: a.strokeWidth });
    if (!classId || !roi.success) return [];
    return [{ imageId: a.imageId, classId, roi: roi.data, author: a.author?.email ?? null, note: a.note }];
  });
}

export const imageSelect = (_m: ResolvedModel, cases: Prisma.Sql) => Prisma.sql`
  SELECT k."imageId", i."width", i."height", COALESCE(i."filename", i."sourceRef", i."id") AS "fileName"
  FROM ${cases} k JOIN "Image" i ON i."id" = k."imageId" ORDER BY k."imageId"`;

export interface ImageRow {
  imageId: string;
  width: number | null;
  height: number | null;
  fileName: string;
}

export async function* cocoJson(
  db: Db,
  filter: ExportFilter,
  viewerId: string | null,
): AsyncGenerator<string> {
  // pass 1: images (numbered in id order; pass 2 numbers them the same way)
  let n = 0;
  let labelSet: { id: string; name: string } | null = null;
  for await (const { model, rows } of selectedBatches(db, filter, viewerId, imageSelect)) {
    if (!labelSet) {
      labelSet = await db.labelSet.findUniqueOrThrow({
        where: { id: model.labelSetId },
        select: { id: true, name: true },
      });
      const classes = await labelClasses(db, labelSet.id);
      const info = {
        description: `CXR Review ROIs, ${model.name} v${model.version}`,
        label_set: labelSet.name,
        date_created: new Date().toISOString(),
      };
      const categories = classes.map((c) => ({
        id: c.index + 1,
        name: c.key,
        supercategory: labelSet!.name,
      }));
      yield `{"info":${JSON.stringify(info)},\n"categories":${JSON.stringify(categories)},\n"images":[`;
    }
    yield (rows as unknown as ImageRow[])
      .filter((r) => r.width && r.height)
      .map((r) => {
        n++;
        const image = {
          id: n,
          file_name: r.fileName,
          width: r.width,
          height: r.height,
          cxr_image_id: r.imageId,
        };
        return `${n === 1 ? "\n" : ",\n"}${JSON.stringify(image)}`;
      })
      .join("");
  }
  if (!labelSet) {
    yield `{"info":{},"categories":[],"images":[],"annotations":[]}\n`;
    return;
  }
  yield `\n],\n"annotations":[`;
  // pass 2: the regions of the same images
  const classes = await labelClasses(db, labelSet.id);
  const category = new Map(classes.map((c) => [c.id, c.index + 1]));
  let imageNo = 0;
  let annotationNo = 0;
  for await (const { rows } of selectedBatches(db, filter, viewerId, imageSelect)) {
    const images = (rows as unknown as ImageRow[]).filter((r) => r.width && r.height);
    const numbered = new Map(
      images.map((r) => [r.imageId, { no: ++imageNo, width: r.width!, height: r.height! }]),
    );
    const out: string[] = [];
    for (const a of await classedRegions(db, [...numbered.keys()], labelSet.id)) {
      const image = numbered.get(a.imageId)!;
      const categoryId = category.get(a.classId);
      // a region of another label set is not this file's
      if (categoryId === undefined) continue;
      const coco = await toCocoAnnotation(a.roi, image, {
        id: annotationNo + 1,
        image_id: image.no,
        category_id: categoryId,
        author: a.author,
        note: a.note,
      });
      if (!coco) continue;
      annotationNo++;
      out.push(`${annotationNo === 1 ? "\n" : ",\n"}${JSON.stringify(coco)}`);
    }
    yield out.join("");
  }
  yield "\n]}\n";
}
