// Submitting runs in the background so the next case paints at once: a lost connection is retried, an answer
// from the server (a conflict, an expired session) is not and stays as a failure on that case, whose draft
// is kept. A success deletes the browser's draft (the server deleted its own with the decision). Each submit
// carries the id of its attempt, so a retry after a lost answer never stores the decision twice.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { useTRPC } from "~/trpc/react";
import { type SubmitInput } from "../api-types";
import { clearDraft } from "../draft";
import { errorInfo, failureKind, submitFailureMessage } from "../errors";
import { newSubmissionId, submitAttempt, type PendingSubmit } from "../submission";

/** how long a submit waits for an autosave of the same case still in flight */
const SUBMIT_WAITS_FOR_AUTOSAVE_MS = 5000;

export interface SubmitFailure {
  message: string;
  code: string | null;
}

interface Options {
  userId: string;
  /** lets the case's autosave settle (see useDraftAutosave) */
  settle: (imageId: string, waitMs: number) => Promise<void>;
  onSignedOut: (imageId: string) => void;
  /** the submit failed: the case goes back into the queue */
  onFailed: (imageId: string) => void;
}

export function useSubmit({ userId, settle, onSignedOut, onFailed }: Options) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [failures, setFailures] = useState<Record<string, SubmitFailure>>({});
  // per case, the attempt whose outcome is not known yet (see submitAttempt); react-query's own retries
  // resend the same input, so they carry its id too
  const pending = useRef(new Map<string, PendingSubmit>());
  const clearFailure = (imageId: string) =>
    setFailures((f) => {
      const { [imageId]: _gone, ...rest } = f;
      return rest;
    });

  const mutation = useMutation(
    trpc.review.submit.mutationOptions({
      retry: (count, error) => count < 4 && errorInfo(error).status === null,
      retryDelay: (n) => Math.min(8000, 500 * 2 ** n),
      onSuccess: (_result, input) => {
        pending.current.delete(input.imageId);
        clearDraft(window.localStorage, userId, input.imageId);
        qc.setQueryData(trpc.review.draft.queryKey({ imageId: input.imageId }), null);
        void qc.invalidateQueries({ queryKey: trpc.review.queue.queryKey() });
        void qc.invalidateQueries({ queryKey: trpc.review.case.queryKey({ imageId: input.imageId }) });
      },
      onError: (error, input) => {
        // the server answered: nothing was stored, so a resubmit is a new attempt; otherwise it may have been
        if (failureKind(error) !== "network") pending.current.delete(input.imageId);
        const info = errorInfo(error);
        if (info.code === "UNAUTHORIZED") onSignedOut(input.imageId);
        setFailures((f) => ({
          ...f,
          [input.imageId]: { message: submitFailureMessage(info), code: info.code },
        }));
        onFailed(input.imageId);
      },
    }),
  );

  return {
    failures,
    clearFailure,
    submit: (input: SubmitInput) => {
      clearFailure(input.imageId);
      const attempt = submitAttempt(pending.current.get(input.imageId), input, newSubmissionId);
      pending.current.set(input.imageId, attempt);
      void settle(input.imageId, SUBMIT_WAITS_FOR_AUTOSAVE_MS).then(() =>
        mutation.mutate({ ...input, submissionId: attempt.submissionId }),
      );
    },
  };
}
