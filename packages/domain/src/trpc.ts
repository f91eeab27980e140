// The one mapping from DomainError to tRPC, used by the middleware of both APIs (web and inference):
// `t.middleware(async ({ next }) => rethrowDomainErrors(await next()))`.
import { TRPCError, type AnyProcedure } from "@trpc/server";
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

/**
 * Every procedure's dotted path in a router's record ("admin.users.list"), as a union: the RBAC matrix tests
 * key their tables on it, so a new procedure without an entry is a type error.
 * Use: `ProcedurePath<AppRouter["_def"]["record"]>`.
 */
export type ProcedurePath<TRecord, TPrefix extends string = ""> = {
  [K in keyof TRecord & string]: TRecord[K] extends AnyProcedure
    ? `${TPrefix}${K}`
    : ProcedurePath<TRecord[K], `${TPrefix}${K}.`>;
}[keyof TRecord & string];
