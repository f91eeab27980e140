// The server's copy of a reader's draft (one per reader and image), behind the browser's copy: it follows the
// reader to another device or a cleared browser. The newer copy wins, by the time the reader last changed it
// (the draft's savedAt), so a late retry of an older version never replaces a newer one. Submitting the
// decision deletes it (in the decision's transaction, see decision.ts).
import { type Db, type Prisma } from "@cxr/db";
import { DomainError, idSchema, lockKey, withAdvisoryLock } from "@cxr/domain";
import { z } from "zod";
import { draftSchema, type Draft } from "~/lib/review/draft";

export const draftRefSchema = z.object({ imageId: idSchema });
export const saveDraftSchema = z.object({ imageId: idSchema, draft: draftSchema });
export type SaveDraftInput = z.input<typeof saveDraftSchema>;

export interface ServerDraft {
  draft: Draft;
  updatedAt: Date;
}

export async function loadServerDraft(db: Db, userId: string, imageId: string): Promise<ServerDraft | null> {
  const row = await db.reviewDraft.findUnique({
    where: { userId_imageId: { userId, imageId } },
    select: { payload: true, updatedAt: true },
  });
  if (!row) return null;
  // a payload this version cannot read is treated as no draft (the browser's copy may still have one)
  const parsed = draftSchema.safeParse(row.payload);
  return parsed.success ? { draft: parsed.data, updatedAt: row.updatedAt } : null;
}

/**
 * Stores the draft unless the server holds a newer one. Returns whether it was stored and the savedAt of
 * the copy the server now holds.
 */
export async function saveServerDraft(
  db: Db,
  userId: string,
  raw: SaveDraftInput,
): Promise<{ stored: boolean; savedAt: number }> {
  const { imageId, draft } = saveDraftSchema.parse(raw);
  return db.$transaction(async (tx) => {
    // one save at a time per reader and case, so "newer wins" holds between two tabs
    await withAdvisoryLock(tx, lockKey("draft", userId, imageId));
    const image = await tx.image.findUnique({ where: { id: imageId }, select: { id: true } });
    if (!image) throw new DomainError("NOT_FOUND", "This case does not exist.");
    const existing = await tx.reviewDraft.findUnique({
      where: { userId_imageId: { userId, imageId } },
      select: { payload: true },
    });
    const held = existing ? draftSchema.safeParse(existing.payload) : null;
    if (held?.success && held.data.savedAt > draft.savedAt)
      return { stored: false, savedAt: held.data.savedAt };
    const payload = draft as Prisma.InputJsonValue;
    await tx.reviewDraft.upsert({
      where: { userId_imageId: { userId, imageId } },
      create: { userId, imageId, payload },
      update: { payload },
    });
    return { stored: true, savedAt: draft.savedAt };
  });
}

export async function deleteServerDraft(
  db: Db,
  userId: string,
  imageId: string,
): Promise<{ deleted: boolean }> {
  const { count } = await db.reviewDraft.deleteMany({ where: { userId, imageId } });
  return { deleted: count > 0 };
}
