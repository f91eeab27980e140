// Who may see which image bytes: readers and admins see the archive; annotators only their assigned images.
import { type Db } from "@cxr/db";
import { type Role } from "@cxr/domain";

export async function canSeeImage(
  db: Db,
  user: { id: string; role: Role },
  imageId: string,
): Promise<boolean> {
  if (user.role === "ADMIN" || user.role === "RADIOLOGIST") return true;
  return (await db.assignment.count({ where: { imageId, userId: user.id } })) > 0;
}

/** The storage key of an image's rendition: the 16-bit master (full resolution) or the 8-bit preview. */
export async function imageObjectKey(
  db: Db,
  imageId: string,
  kind: "master" | "preview",
): Promise<string | null> {
  const image = await db.image.findUnique({
    where: { id: imageId },
    select: { masterSha256: true, previewSha256: true },
  });
  if (!image) return null;
  return kind === "master" ? image.masterSha256 : image.previewSha256;
}

/** A Grad-CAM map's storage key and its image, so access is checked against the image. */
export async function gradCamObject(db: Db, mapId: string): Promise<{ key: string; imageId: string } | null> {
  const map = await db.gradCamMap.findUnique({
    where: { id: mapId },
    select: { mapSha256: true, prediction: { select: { imageId: true } } },
  });
  return map ? { key: map.mapSha256, imageId: map.prediction.imageId } : null;
}
