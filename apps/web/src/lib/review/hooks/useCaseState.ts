// The open case's state (case-state.ts), opened from its data and drafts during render on a new case, so no
// frame shows the previous case's ROIs over the new image, and the time spent on it.
import { useReducer, useRef } from "react";
import { type CaseData } from "../api-types";
import { caseReducer } from "../case-state";
import { loadDraft, type Draft } from "../draft";
import { openCase } from "../reconcile";

export function useCaseState(data: CaseData | undefined, userId: string, serverDraft: Draft | null) {
  const [state, dispatch] = useReducer(caseReducer, null);
  const startedAt = useRef(0);
  if (data && state?.decision.imageId !== data.image.id && typeof window !== "undefined") {
    const local = loadDraft(window.localStorage, userId, data.image.id);
    startedAt.current = performance.now();
    dispatch({ type: "open", state: openCase(data, local, serverDraft) });
  }
  const active = data && state?.decision.imageId === data.image.id ? state : null;
  const before = active?.elapsedBefore ?? 0;
  return {
    active,
    dispatch,
    /** time on the case, a restored draft's included */
    elapsedMs: () => Math.round(before + performance.now() - startedAt.current),
  };
}
