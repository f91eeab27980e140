// Autosave: every change is in the browser's storage before anything else can go wrong, then on the server
// through DraftSync (debounced, retried while offline, paused when the session is over, flushed when the page
// is hidden). A restored draft's losing copy catches up when the case opens.
import { useEffect, useRef, useState } from "react";
import { useTRPCClient } from "~/trpc/react";
import { DraftSync, type SyncStatus } from "../autosave";
import { type CaseState } from "../case-state";
import { clearDraft, saveDraft, type Draft } from "../draft";
import { failureKind } from "../errors";
import { autosaveStep } from "../reconcile";

interface Options {
  userId: string;
  active: CaseState | null;
  elapsedMs: () => number;
  /** the server said the session is over while saving this case's draft */
  onSignedOut: (imageId: string) => void;
}

export function useDraftAutosave({ userId, active, elapsedMs, onSignedOut }: Options) {
  const trpcClient = useTRPCClient();
  const [status, setStatus] = useState<Record<string, SyncStatus>>({});
  const syncRef = useRef<DraftSync | null>(null);
  const signedOut = useRef(onSignedOut);
  signedOut.current = onSignedOut;

  useEffect(() => {
    const sync = new DraftSync({
      send: async (imageId, op) => {
        if (op.kind === "save") await trpcClient.review.saveDraft.mutate({ imageId, draft: op.draft });
        else await trpcClient.review.deleteDraft.mutate({ imageId });
      },
      classify: failureKind,
      onStatus: (imageId, s) => {
        setStatus((all) => ({ ...all, [imageId]: s }));
        if (s.state === "unauthorized") signedOut.current(imageId);
      },
    });
    syncRef.current = sync;
    const onHide = () => {
      if (document.visibilityState === "hidden") sync.flush();
    };
    const onOnline = () => sync.resume();
    document.addEventListener("visibilitychange", onHide);
    window.addEventListener("online", onOnline);
    return () => {
      document.removeEventListener("visibilitychange", onHide);
      window.removeEventListener("online", onOnline);
      sync.dispose();
      syncRef.current = null;
    };
  }, [trpcClient]);

  const imageId = active?.decision.imageId;
  const catchUp = active?.catchUp ?? null;
  const caughtUp = useRef<CaseState["catchUp"]>(null);
  useEffect(() => {
    if (!imageId || !catchUp || caughtUp.current === catchUp) return;
    caughtUp.current = catchUp;
    if (catchUp.to === "local") saveDraft(window.localStorage, userId, imageId, catchUp.draft);
    else syncRef.current?.schedule(imageId, { kind: "save", draft: catchUp.draft });
  }, [imageId, catchUp, userId]);

  // the content last written, per case: an unchanged state writes nothing
  const last = useRef<{ imageId: string; key: string } | null>(null);
  const decision = active?.decision;
  const rois = active?.rois.present;
  const elapsed = useRef(elapsedMs);
  elapsed.current = elapsedMs;
  useEffect(() => {
    if (!active || !decision || !rois) return;
    const id = decision.imageId;
    const lastKey = last.current?.imageId === id ? last.current.key : active.openedKey;
    const step = autosaveStep(decision, rois, lastKey, active.headKey);
    if (step.kind === "none") return;
    last.current = { imageId: id, key: step.key };
    if (step.kind === "clear") {
      clearDraft(window.localStorage, userId, id);
      syncRef.current?.schedule(id, { kind: "delete" });
      return;
    }
    const draft: Draft = { version: 1, ...step.content, elapsedMs: elapsed.current(), savedAt: Date.now() };
    saveDraft(window.localStorage, userId, id, draft);
    syncRef.current?.schedule(id, { kind: "save", draft });
    // the decision and the ROIs are what changes; the rest of the case state comes with them
  }, [decision, rois, userId]);

  return {
    status,
    /**
     * Drops this case's waiting autosave and lets one in flight land first (at most `waitMs`), so it cannot
     * bring back the draft a submit deletes.
     */
    settle: (id: string, waitMs: number): Promise<void> => {
      const sync = syncRef.current;
      if (!sync) return Promise.resolve();
      return Promise.race([sync.cancel(id), new Promise<void>((r) => setTimeout(r, waitMs))]);
    },
  };
}
