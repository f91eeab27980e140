// The one mapping from DomainError to tRPC, used by the middleware of both APIs (web and inference):
// `t.middleware(async ({ next }) => rethrowDomainErrors(await next()))`.
import { TRPCError } from "@trpc/server";
import { DomainError } from "./errors";

interface MiddlewareResult {
  ok: boolean;
  error?: { cause?: unknown };
}

/** Turns a DomainError thrown below into the tRPC error of the same code and message. */
export function rethrowDomainErrors<R extends MiddlewareResult>(result: R): R {
  const cause = result.ok ? undefined : result.error?.cause;
  if (cause instanceof DomainError) {
    throw new TRPCError({ code: cause.code, message: cause.message, cause });
  }
  return result;
}
