// An import of a COCO file into one label set's regions: the file this platform exports round-trips exactly
// (each annotation's `cxr` block holds the region as drawn); other COCO files bring their polygons (as
// POLYGON) and boxes (as RECTANGLE). Images are found by `cxr_image_id`, else by file name. The whole file is
// checked first and written in one transaction: a bad file is refused with the reason and changes nothing.
// A region already present (same image, shape, points and class) is not added twice, so re-importing is safe.
import { type Db } from "@cxr/db";
import { DomainError, storedRoiSchema, type StoredRoi } from "@cxr/domain";
import { z } from "zod";

const num = z.number().finite();

const cocoFileSchema = z.object({
  categories: z.array(z.object({ id: z.number().int(), name: z.string().min(1) })).min(1),
  images: z.array(
    z.object({
      id: z.number().int(),
      file_name: z.string().optional(),
      width: z.number().int().positive(),
      height: z.number().int().positive(),
      cxr_image_id: z.string().max(64).optional(),
    }),
  ),
  annotations: z.array(
    z.object({
      id: z.number().int(),
      image_id: z.number().int(),
      category_id: z.number().int(),
      segmentation: z
        .union([z.array(z.array(num)), z.object({ size: z.array(num), counts: z.unknown() })])
        .optional(),
      bbox: z.tuple([num, num, num, num]).optional(),
      cxr: z
        .object({
          shape: z.string(),
          points: z.unknown(),
          strokeWidth: z.number().nullable().optional(),
          author: z.string().nullable().optional(),
          note: z.string().nullable().optional(),
        })
        .optional(),
    }),
  ),
});

export const cocoImportInputSchema = z.object({
  labelSetName: z.string().min(1).max(100),
  coco: z.unknown(),
});

export interface CocoImportResult {
  imported: number;
  duplicates: number;
  /** annotations that could not become a region, with why (the rest were imported) */
  skipped: { annotationId: number; reason: string }[];
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

function regionOf(
  a: z.infer<typeof cocoFileSchema>["annotations"][number],
  image: { width: number; height: number },
): StoredRoi | string {
  if (a.cxr) {
    const roi = storedRoiSchema.safeParse({
      shape: a.cxr.shape,
      points: a.cxr.points,
      strokeWidth: a.cxr.strokeWidth,
    });
    return roi.success ? roi.data : "its cxr region is not a valid shape";
  }
  const norm = (x: number, y: number): [number, number] => [
    clamp01(x / image.width),
    clamp01(y / image.height),
  ];
  if (Array.isArray(a.segmentation) && a.segmentation[0] && a.segmentation[0].length >= 6) {
    const flat = a.segmentation[0];
    const points = Array.from({ length: Math.floor(flat.length / 2) }, (_, i) =>
      norm(flat[2 * i]!, flat[2 * i + 1]!),
    );
    return { shape: "POLYGON", points };
  }
  if (a.segmentation && !Array.isArray(a.segmentation))
    return "a run-length mask without its cxr region cannot become an editable region";
  if (a.bbox) {
    const [x, y, w, h] = a.bbox;
    return { shape: "RECTANGLE", points: [norm(x, y), norm(x + w, y + h)] };
  }
  return "it has neither a polygon nor a box";
}

export async function importCoco(
  db: Db,
  raw: z.input<typeof cocoImportInputSchema>,
  actor: { id: string; role: "ADMIN" | "RADIOLOGIST" | "ANNOTATOR" },
): Promise<CocoImportResult> {
  const input = cocoImportInputSchema.parse(raw);
  const parsed = cocoFileSchema.safeParse(input.coco);
  if (!parsed.success)
    throw new DomainError(
      "BAD_REQUEST",
      `This is not a COCO file this import can read: ${parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join(".")}: ${i.message}`)
        .join("; ")}.`,
    );
  const coco = parsed.data;
  const labelSet = await db.labelSet.findUnique({
    where: { name: input.labelSetName },
    select: { id: true, classes: { select: { id: true, key: true } } },
  });
  if (!labelSet) throw new DomainError("NOT_FOUND", `There is no label set "${input.labelSetName}".`);
  const classOfKey = new Map(labelSet.classes.map((c) => [c.key, c.id]));
  const classOfCategory = new Map<number, string>();
  for (const c of coco.categories) {
    const id = classOfKey.get(c.name);
    if (!id)
      throw new DomainError("BAD_REQUEST", `Category "${c.name}" is not a class of ${input.labelSetName}.`);
    classOfCategory.set(c.id, id);
  }
  // images: by our id when the file has it, else by file name (unique matches only)
  const byId = await db.image.findMany({
    where: { id: { in: coco.images.flatMap((i) => (i.cxr_image_id ? [i.cxr_image_id] : [])) } },
    select: { id: true },
  });
  const known = new Set(byId.map((i) => i.id));
  const names = coco.images.flatMap((i) => (!i.cxr_image_id && i.file_name ? [i.file_name] : []));
  const byName = names.length
    ? await db.image.findMany({ where: { filename: { in: names } }, select: { id: true, filename: true } })
    : [];
  const imageOf = new Map<number, { id: string; width: number; height: number }>();
  for (const i of coco.images) {
    const matches = i.cxr_image_id
      ? known.has(i.cxr_image_id)
        ? [i.cxr_image_id]
        : []
      : byName.filter((b) => b.filename === i.file_name).map((b) => b.id);
    if (matches.length !== 1)
      throw new DomainError(
        "BAD_REQUEST",
        `Image ${i.id} (${i.cxr_image_id ?? i.file_name ?? "no name"}) ${matches.length ? "matches several images" : "is not in the archive"}.`,
      );
    imageOf.set(i.id, { id: matches[0]!, width: i.width, height: i.height });
  }
  const authors = new Map(
    (
      await db.user.findMany({
        where: { email: { in: coco.annotations.flatMap((a) => (a.cxr?.author ? [a.cxr.author] : [])) } },
        select: { id: true, email: true },
      })
    ).map((u) => [u.email, u.id]),
  );

  const result: CocoImportResult = { imported: 0, duplicates: 0, skipped: [] };
  const rows: {
    imageId: string;
    classId: string;
    roi: StoredRoi;
    authorId: string | null;
    note: string | null;
  }[] = [];
  for (const a of coco.annotations) {
    const image = imageOf.get(a.image_id);
    const classId = classOfCategory.get(a.category_id);
    if (!image || !classId) {
      result.skipped.push({ annotationId: a.id, reason: image ? "unknown category" : "unknown image" });
      continue;
    }
    const roi = regionOf(a, image);
    if (typeof roi === "string") result.skipped.push({ annotationId: a.id, reason: roi });
    else
      rows.push({
        imageId: image.id,
        classId,
        roi,
        authorId: (a.cxr?.author && authors.get(a.cxr.author)) || null,
        note: a.cxr?.note ?? null,
      });
  }
  await db.$transaction(async (tx) => {
    const existing = await tx.annotation.findMany({
      where: { imageId: { in: [...new Set(rows.map((r) => r.imageId))] }, deletedAt: null },
      select: { imageId: true, classId: true, shape: true, points: true },
    });
    const seen = new Set(
      existing.map((e) => `${e.imageId}|${e.classId}|${e.shape}|${JSON.stringify(e.points)}`),
    );
    for (const r of rows) {
      const key = `${r.imageId}|${r.classId}|${r.roi.shape}|${JSON.stringify(r.roi.points)}`;
      if (seen.has(key)) {
        result.duplicates++;
        continue;
      }
      seen.add(key);
      await tx.annotation.create({
        data: {
          imageId: r.imageId,
          classId: r.classId,
          shape: r.roi.shape,
          points: r.roi.points,
          strokeWidth: r.roi.strokeWidth ?? null,
          authorId: r.authorId,
          note: r.note,
        },
      });
      result.imported++;
    }
    await tx.auditEvent.create({
      data: {
        actorId: actor.id,
        actorRole: actor.role,
        action: "annotations.imported",
        entityType: "LabelSet",
        entityId: labelSet.id,
        after: {
          format: "coco",
          imported: result.imported,
          duplicates: result.duplicates,
          skipped: result.skipped.length,
        },
      },
    });
  });
  return result;
}
