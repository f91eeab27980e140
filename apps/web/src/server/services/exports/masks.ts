// The audit page's selection's ROIs as PNG masks in a zip: one 8-bit grey PNG per image and class (255 inside
// the class's regions, 0 outside, at the image's pixel size), named `<image id>/<class key>.png`. Regions and
// classes as the COCO export takes them (classedRegions). Images are read a batch at a time and each image's
// masks are handed to the zip and its output drained before the next, so memory stays flat.
import { type Db } from "@cxr/db";
import { type StoredRoi } from "@cxr/domain";
import { rasterizeRois } from "@cxr/imaging";
import { type Readable } from "node:stream";
import sharp from "sharp";
import yazl from "yazl";
import { labelClasses } from "../audit/scope";
import { classedRegions, imageSelect, type ImageRow } from "./coco";
import { selectedBatches, type ExportFilter } from "./labels";

/** One mask as a grey PNG, 255 inside. */
export async function maskPng(rois: readonly StoredRoi[], width: number, height: number): Promise<Buffer> {
  const mask = await rasterizeRois(rois, width, height);
  return sharp(mask.data, { raw: { width, height, channels: 1 } })
    .png()
    .toBuffer();
}

function* drain(out: Readable): Generator<Uint8Array> {
  for (let chunk = out.read() as Buffer | null; chunk !== null; chunk = out.read() as Buffer | null)
    yield chunk;
}

export async function* masksZip(
  db: Db,
  filter: ExportFilter,
  viewerId: string | null,
): AsyncGenerator<Uint8Array> {
  const zip = new yazl.ZipFile();
  const out = zip.outputStream as Readable;
  let keys: Map<string, string> | null = null;
  for await (const { model, rows } of selectedBatches(db, filter, viewerId, imageSelect)) {
    keys ??= new Map((await labelClasses(db, model.labelSetId)).map((c) => [c.id, c.key]));
    const images = new Map(
      (rows as unknown as ImageRow[]).filter((r) => r.width && r.height).map((r) => [r.imageId, r]),
    );
    const byImageClass = new Map<string, { imageId: string; key: string; rois: StoredRoi[] }>();
    for (const region of await classedRegions(db, [...images.keys()], model.labelSetId)) {
      const key = keys.get(region.classId);
      if (!key) continue;
      const group = byImageClass.get(`${region.imageId}/${key}`) ?? {
        imageId: region.imageId,
        key,
        rois: [],
      };
      group.rois.push(region.roi);
      byImageClass.set(`${region.imageId}/${key}`, group);
    }
    for (const [name, { imageId, rois }] of byImageClass) {
      const image = images.get(imageId)!;
      // PNG is compressed already: stored, not deflated again
      zip.addBuffer(await maskPng(rois, image.width!, image.height!), `${name}.png`, { compress: false });
      yield* drain(out);
    }
  }
  zip.end();
  for await (const chunk of out) yield chunk as Buffer;
}
