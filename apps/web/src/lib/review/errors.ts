// What the workspace makes of a failed request: tRPC's code and HTTP status (none: the server was not
// reached), what autosave does next, and what a failed submit tells the reader.
import { type FailureKind } from "./autosave";

export interface ErrorInfo {
  code: string | null;
  status: number | null;
  message: string;
}

export function errorInfo(error: unknown): ErrorInfo {
  const e = error as { message?: string; data?: { code?: string; httpStatus?: number } | null } | null;
  return {
    code: e?.data?.code ?? null,
    status: e?.data?.httpStatus ?? null,
    message: e?.message ?? String(error),
  };
}

/** What autosave does after a failed request: retry (network, server trouble), pause (signed out), or drop it. */
export function failureKind(error: unknown): FailureKind {
  const info = errorInfo(error);
  if (info.code === "UNAUTHORIZED") return "unauthorized";
  if (info.status === null || info.status >= 500) return "network";
  return "fatal";
}

/** A failed submit as the reader reads it; the decision is kept as a draft whatever happened. */
export function submitFailureMessage(info: ErrorInfo): string {
  if (info.code === "UNAUTHORIZED")
    return "Your session has expired. Your decision is kept as a draft in this browser: sign in again, then submit it.";
  if (info.status === null)
    return "The server could not be reached. Your decision is kept as a draft: submit it again when the connection is back.";
  return info.message;
}

/** Back to the same case (and model) after signing in, where its draft waits. */
export function signInAgainUrl(imageId: string, modelVersionId: string | undefined): string {
  const back = new URLSearchParams({ case: imageId, ...(modelVersionId ? { model: modelVersionId } : {}) });
  return `/signin?callbackUrl=${encodeURIComponent(`/review?${back.toString()}`)}`;
}
