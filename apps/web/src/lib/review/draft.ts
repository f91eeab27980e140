// Drafts are written to the browser's storage on every change (the first safety net: a reload, a network
// error, a session expiry) and, debounced, to the server (another device, a cleared browser); on opening a
// case the newer of the two wins. The same schema validates both copies.
import { draftRoiSchema, idSchema, maxRoisPerRead } from "@cxr/domain";
import { z } from "zod";

export const draftSchema = z.object({
  version: z.literal(1),
  baseReadId: idSchema.nullable(),
  classId: idSchema.nullable(),
  notDiagnostic: z.boolean(),
  secondOpinion: z.boolean(),
  comment: z.string().max(4000),
  studyRating: z.number().int().min(0).max(100).nullable().optional(),
  rois: z.array(draftRoiSchema).max(maxRoisPerRead),
  /** time already spent on the case before a reload */
  elapsedMs: z.number().min(0),
  /** when the reader last changed it (the browser's clock), to tell the newer of two copies */
  savedAt: z.number(),
});
export type Draft = z.infer<typeof draftSchema>;

/** The newer of the browser's and the server's copy (the browser's on a tie: it is the one just typed). */
export function newerDraft(
  local: Draft | null,
  server: Draft | null,
): { draft: Draft; from: "local" | "server" } | null {
  if (local && (!server || local.savedAt >= server.savedAt)) return { draft: local, from: "local" };
  return server ? { draft: server, from: "server" } : null;
}

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
