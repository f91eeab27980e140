"use client";
// What went wrong outside the open case: the session is over (one sign-in prompt, back to the case after),
// and decisions on other cases that were not saved.
import { Alert, Button } from "@cxr/ui";
import { signInAgainUrl } from "~/lib/review/errors";
import { type SubmitFailure } from "~/lib/review/hooks/useSubmit";

interface Props {
  signedOut: { imageId: string } | null;
  modelVersionId: string | undefined;
  /** failed submits of cases other than the open one */
  failures: [string, SubmitFailure][];
  onOpen: (imageId: string) => void;
}

export function ReviewAlerts({ signedOut, modelVersionId, failures, onOpen }: Props) {
  return (
    <>
      {signedOut ? (
        <Alert tone="error">
          <span data-testid="session-expired">
            Your session has expired. Everything you typed or drew is saved on this device; sign in again to
            go on (you will come back to this case).
          </span>{" "}
          <a href={signInAgainUrl(signedOut.imageId, modelVersionId)}>Sign in again</a>
        </Alert>
      ) : null}
      {failures.length > 0 ? (
        <div className="review-failures">
          {failures.map(([id, f]) => (
            <Alert key={id} tone="error">
              <span data-testid="submit-failure">
                Your decision on case …{id.slice(-6)} was not saved. {f.message}
              </span>{" "}
              {f.code === "UNAUTHORIZED" ? null : (
                <Button size="sm" variant="secondary" onClick={() => onOpen(id)}>
                  Open that case
                </Button>
              )}
            </Alert>
          ))}
        </div>
      ) : null}
    </>
  );
}
