// Drafts live in the browser's storage, written on every change: they survive a reload, a network error
// and a session expiry (the server is only told on submit).
import { z } from "zod";

const point = z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]);

export const draftSchema = z.object({
  version: z.literal(1),
  baseReadId: z.string().nullable(),
  classId: z.string().nullable(),
  notDiagnostic: z.boolean(),
  secondOpinion: z.boolean(),
  comment: z.string(),
  rois: z.array(
    z.object({
      id: z.string(),
      shape: z.enum(["RECTANGLE", "ELLIPSE", "POLYGON", "FREEHAND"]),
      classId: z.string().nullable(),
      points: z.array(point),
    }),
  ),
  /** time already spent on the case before a reload */
  elapsedMs: z.number().min(0),
  savedAt: z.number(),
});
export type Draft = z.infer<typeof draftSchema>;

export const draftKey = (userId: string, imageId: string) => `cxr.review.draft:${userId}:${imageId}`;

type Store = Pick<Storage, "getItem" | "setItem" | "removeItem">;

export function loadDraft(store: Store, userId: string, imageId: string): Draft | null {
  const raw = store.getItem(draftKey(userId, imageId));
  if (!raw) return null;
  try {
    const parsed = draftSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function saveDraft(store: Store, userId: string, imageId: string, draft: Draft): void {
  try {
    store.setItem(draftKey(userId, imageId), JSON.stringify(draft));
  } catch {
    // storage full or disabled: the decision still works, only the safety net is gone
  }
}

export function clearDraft(store: Store, userId: string, imageId: string): void {
  store.removeItem(draftKey(userId, imageId));
}

/** A draft is worth keeping only once the reader did something. */
export function isEmptyDraft(
  d: Pick<Draft, "classId" | "notDiagnostic" | "secondOpinion" | "comment" | "rois">,
): boolean {
  return !d.classId && !d.notDiagnostic && !d.secondOpinion && d.comment === "" && d.rois.length === 0;
}
