// The inference service's model registry as the web app uses it, and its refusals as the web's own errors.
import { DomainError, domainErrorCodes, type DomainErrorCode } from "@cxr/domain";
import type { InferenceClient } from "@cxr/inference-api/client";
import { TRPCClientError } from "@trpc/client";

/** Only the registry part of the client: tests pass a client of a real started service. */
export type ModelsClient = Pick<InferenceClient, "models">;

const isDomainCode = (code: unknown): code is DomainErrorCode =>
  typeof code === "string" && (domainErrorCodes as readonly string[]).includes(code);

/** The service's refusal as the web's own DomainError (same code and message); anything else unchanged. */
export function asDomainError(error: unknown): unknown {
  if (error instanceof TRPCClientError) {
    const code: unknown = (error.data as { code?: unknown } | undefined)?.code;
    if (isDomainCode(code)) return new DomainError(code, error.message, { cause: error });
  }
  return error;
}

/** Runs a call to the service; its refusals (CONFLICT, NOT_FOUND...) reach the user with their message. */
export async function serviceCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw asDomainError(error);
  }
}
