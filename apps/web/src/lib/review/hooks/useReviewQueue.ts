// The reader's queue: its filters, the cases done in this sitting, the open case and the ones after it.
// Opening a case marks the key press for the benchmark; the address names the open case, so a reload (or a
// colleague's link) returns to it. An audit's queue is paged on the server (AUDIT_PAGE cases at a time) and
// stepped through by position ("case 31 of 75"), so a confusion cell of any size is one queue.
import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { auditQueueHref, type AuditSelection } from "~/lib/audit/selection";
import { useTRPC } from "~/trpc/react";
import { type QueueFilters } from "../api-types";

/** cases per request of a queue (an audit's queue loads the next page when the reader steps past this one) */
export const AUDIT_PAGE = 30;

/**
 * `audit`: an audit page's cases instead of the reader's queue; `tasks`: an annotator's queue (their campaigns only,
 * no model choice: the campaign's model or none).
 */
export function useReviewQueue(
  initialCaseId: string | null,
  initialModelId: string | null,
  { audit = null, tasks = false }: { audit?: AuditSelection | null; tasks?: boolean } = {},
) {
  const trpc = useTRPC();
  const [filters, setFilters] = useState<QueueFilters>(
    tasks
      ? { scope: "campaigns" }
      : audit
        ? { audit, modelVersionId: audit.modelVersionId }
        : initialModelId
          ? { modelVersionId: initialModelId }
          : {},
  );
  // the audit queue's page (its offset in the selection) and the case to open in it once it arrives
  const [offset, setOffset] = useState(0);
  const [pendingIndex, setPendingIndex] = useState<number | null>(null);
  const queue = useQuery(
    trpc.review.queue.queryOptions({ ...filters, limit: AUDIT_PAGE, ...(filters.audit ? { offset } : {}) }),
  );
  const models = useQuery({ ...trpc.review.modelVersions.queryOptions(), enabled: !tasks });
  const modelId = filters.modelVersionId ?? queue.data?.modelVersionId ?? undefined;
  // the queue answers which model is the champion: cases wait for it unless the reader chose one
  const modelKnown = filters.modelVersionId !== undefined || queue.isFetched;
  const [done, setDone] = useState<ReadonlySet<string>>(new Set());
  const [currentId, setCurrentId] = useState<string | null>(initialCaseId);
  const upcoming = useMemo(
    () => (queue.data?.entries ?? []).map((e) => e.imageId).filter((id) => !done.has(id) && id !== currentId),
    [queue.data, done, currentId],
  );
  useEffect(() => {
    if (currentId) return;
    const entries = queue.data?.entries ?? [];
    if (pendingIndex !== null && queue.data?.page?.offset === offset) {
      setPendingIndex(null);
      setCurrentId(entries[pendingIndex]?.imageId ?? entries.at(-1)?.imageId ?? null);
    } else if (pendingIndex === null && upcoming[0]) setCurrentId(upcoming[0]);
  }, [currentId, upcoming, pendingIndex, queue.data, offset]);

  // where the open case is in an audit's selection (null: not on the loaded page, or no audit)
  const page = queue.data?.page;
  const index = (queue.data?.entries ?? []).findIndex((e) => e.imageId === currentId);
  const position = page && index >= 0 ? page.offset + index : null;

  useEffect(() => {
    if (!currentId) return;
    // an audit queue keeps its selection in the address, so a reload returns to the same cases
    const params = new URLSearchParams(filters.audit ? auditQueueHref(filters.audit).split("?")[1] : {});
    params.set("case", currentId);
    if (filters.modelVersionId) params.set("model", filters.modelVersionId);
    window.history.replaceState(null, "", `?${params.toString()}`);
  }, [currentId, filters.modelVersionId, filters.audit]);

  const open = (imageId: string | null) => {
    performance.mark("review:key", { detail: imageId });
    setCurrentId(imageId);
  };
  /** opens the audit selection's case at this position (0-based), loading its page when it is another */
  const goTo = (target: number) => {
    if (!page || target < 0 || target >= page.total) return;
    const start = Math.floor(target / AUDIT_PAGE) * AUDIT_PAGE;
    if (start === page.offset) return open(queue.data?.entries[target - start]?.imageId ?? null);
    performance.mark("review:key", { detail: null });
    setPendingIndex(target - start);
    setCurrentId(null);
    setOffset(start);
  };

  return {
    filters,
    setFilters,
    queue,
    models,
    modelId,
    modelKnown,
    done,
    currentId,
    upcoming,
    open,
    /** an audit's queue: the open case's position and the selection's size, with steps back and forth */
    audit: page ? { position, total: page.total, goTo } : null,
    /** the open case is done (or skipped): on to the next */
    next: () => {
      if (currentId) setDone((d) => new Set(d).add(currentId));
      // an audit steps through its selection in order, across pages
      if (page && position !== null && position + 1 < page.total) return goTo(position + 1);
      open(upcoming[0] ?? null);
    },
    /** a case whose submit failed is back in the queue */
    undo: (imageId: string) =>
      setDone((d) => {
        const rest = new Set(d);
        rest.delete(imageId);
        return rest;
      }),
  };
}
