import { type Role } from "@cxr/domain";
import { auditSelectionFromParams } from "~/lib/audit/selection";
import { idOrNull } from "~/lib/review/address";
import { requireRole } from "~/server/auth/session";
import { ReviewWorkspace } from "./ReviewWorkspace";

export type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * The review workspace as a page for `role` (ADMIN passes too): /review for readers, /tasks/read for annotators
 * (`tasks`: their assignments only, no model choice). The address may name the case and, for readers, the model
 * and an audit page's selection of cases.
 */
export async function workspacePage(searchParams: SearchParams, role: Role, tasks = false) {
  const session = await requireRole(role);
  const params = await searchParams;
  return (
    <ReviewWorkspace
      userId={session.user.id}
      initialCaseId={idOrNull(params.case)}
      initialModelId={tasks ? null : idOrNull(params.model)}
      initialAudit={tasks ? null : auditSelectionFromParams(params)}
      tasks={tasks}
    />
  );
}
