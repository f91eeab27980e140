// The queries of a case: its data (image, prediction, decision in force) for the chosen model, and the
// reader's server draft. A draft that failed to load (offline, signed out) counts as none: the browser's copy
// is still there.
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { failureKind } from "../errors";

export function useCaseOptions(modelId: string | undefined) {
  const trpc = useTRPC();
  return {
    caseOptions: (imageId: string) =>
      trpc.review.case.queryOptions(
        { imageId, ...(modelId ? { modelVersionId: modelId } : {}) },
        { staleTime: 60_000 },
      ),
    draftOptions: (imageId: string) =>
      trpc.review.draft.queryOptions(
        { imageId },
        // one more try on a lost connection; an answer (signed out, forbidden) stands
        { staleTime: 30_000, retry: (n, error) => n < 1 && failureKind(error) === "network" },
      ),
  };
}

export function useCaseQueries(currentId: string | null, modelId: string | undefined, modelKnown: boolean) {
  const { caseOptions, draftOptions } = useCaseOptions(modelId);
  const caseQuery = useQuery({ ...caseOptions(currentId ?? ""), enabled: currentId !== null && modelKnown });
  const draftQuery = useQuery({ ...draftOptions(currentId ?? ""), enabled: currentId !== null });
  // the draft fetched, or failed: either way the case can open
  const data =
    caseQuery.data && caseQuery.data.image.id === currentId && draftQuery.isFetched
      ? caseQuery.data
      : undefined;
  return { caseQuery, data, serverDraft: draftQuery.data?.draft ?? null, caseOptions };
}
