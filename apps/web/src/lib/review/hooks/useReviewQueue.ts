// The reader's queue: its filters, the cases done in this sitting, the open case and the ones after it.
// Opening a case marks the key press for the benchmark; the address names the open case, so a reload (or a
// colleague's link) returns to it.
import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { auditQueueHref, type AuditSelection } from "~/lib/audit/selection";
import { useTRPC } from "~/trpc/react";
import { type QueueFilters } from "../api-types";

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
  const queue = useQuery(trpc.review.queue.queryOptions({ ...filters, limit: 30 }));
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
    if (!currentId && upcoming[0]) setCurrentId(upcoming[0]);
  }, [currentId, upcoming]);

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
    /** the open case is done (or skipped): on to the next */
    next: () => {
      if (currentId) setDone((d) => new Set(d).add(currentId));
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
