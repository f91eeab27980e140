// Who may see which image bytes: readers and admins see the archive; annotators only their assigned images.
// In the review workspace annotators work on their campaign assignments only: their queue is their campaigns,
// a case opens through an assignment of theirs, and a decision is an assignment's read.
import { type Db } from "@cxr/db";
import { DomainError, type Role } from "@cxr/domain";

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

const notYourTask = "This image is not one of your tasks: open it from your task list.";

/** Annotators may open only images assigned to them; readers and admins pass. */
export async function requireTaskImage(
  db: Db,
  user: { id: string; role: Role },
  imageId: string,
): Promise<void> {
  if (user.role !== "ANNOTATOR") return;
  // an id that names no image is NOT_FOUND for everyone, as the readers' services answer
  if ((await db.image.count({ where: { id: imageId } })) === 0)
    throw new DomainError("NOT_FOUND", "This case does not exist.");
  if (!(await canSeeImage(db, user, imageId))) throw new DomainError("FORBIDDEN", notYourTask);
}

/** An annotator's case must be one of their assignments (never the archive's decision outside campaigns). */
export function requireTaskCase(role: Role, view: { assignment: unknown }): void {
  if (role === "ANNOTATOR" && !view.assignment) throw new DomainError("FORBIDDEN", notYourTask);
}

/** An annotator's queue is their campaigns' assignments, never the unassigned archive. */
export function taskQueueFilter<F extends { scope?: string }>(role: Role, filter: F): F {
  return role === "ANNOTATOR" ? { ...filter, scope: "campaigns" } : filter;
}
