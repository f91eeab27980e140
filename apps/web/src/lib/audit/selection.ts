// What an audit selects, shared by the server (queries) and the browser (links): the scopes, and a queue of
// audited cases (a confusion cell, or the cases two versions disagree on) with its address in the viewer.
import { idSchema } from "@cxr/domain";
import { z } from "zod";

export const auditScopes = ["test", "reviewed", "predicted"] as const;
export const auditScopeSchema = z.enum(auditScopes);
export type AuditScope = z.infer<typeof auditScopeSchema>;

export const scopeLabels: Record<AuditScope, string> = {
  test: "Locked test split",
  reviewed: "Reviewed cases",
  predicted: "Everything it predicted",
};

const classKey = z.string().min(1).max(64);

export const auditSelectionSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("cell"),
    modelVersionId: idSchema,
    scope: auditScopeSchema,
    truthKey: classKey,
    predictedKey: classKey,
  }),
  z.object({
    kind: z.literal("flip"),
    /** the version the cases are shown with (the newer one, usually) */
    modelVersionId: idSchema,
    /** the version it is compared with */
    baselineId: idSchema,
    scope: auditScopeSchema,
    direction: z.enum(["rightToWrong", "wrongToRight"]),
  }),
  /** right for the wrong reason: correct, yet the Grad-CAM's energy inside every reader's ROIs is under half */
  z.object({ kind: z.literal("wrongReason"), modelVersionId: idSchema, scope: auditScopeSchema }),
]);
export type AuditSelection = z.infer<typeof auditSelectionSchema>;

/** Energy inside the ROIs under this share: the map's mass lies mostly outside what the readers marked. */
export const wrongReasonEnergy = 0.5;

/** The review workspace's address for a selection's queue. */
export function auditQueueHref(sel: AuditSelection): string {
  const params = new URLSearchParams({ audit: sel.kind, model: sel.modelVersionId, scope: sel.scope });
  if (sel.kind === "cell") {
    params.set("truth", sel.truthKey);
    params.set("predicted", sel.predictedKey);
  } else if (sel.kind === "flip") {
    params.set("baseline", sel.baselineId);
    params.set("direction", sel.direction);
  }
  return `/review?${params.toString()}`;
}

/** The selection an address names, or null (anything malformed is ignored rather than sent to the API). */
export function auditSelectionFromParams(
  params: Record<string, string | string[] | undefined>,
): AuditSelection | null {
  const one = (k: string) => (typeof params[k] === "string" ? params[k] : undefined);
  const parsed = auditSelectionSchema.safeParse({
    kind: one("audit"),
    modelVersionId: one("model"),
    scope: one("scope"),
    truthKey: one("truth"),
    predictedKey: one("predicted"),
    baselineId: one("baseline"),
    direction: one("direction"),
  });
  return parsed.success ? parsed.data : null;
}
