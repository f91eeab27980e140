// Owns the tRPC context, transformer, error shape and procedure builders for the inference service.
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { rethrowDomainErrors } from "@cxr/domain/trpc";
import type { BackendInfo } from "@cxr/ml";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import type { Deps } from "./deps";

export interface Context {
  authenticated: boolean;
  backend: BackendInfo;
  startedAt: number;
  /** absent when the service runs without a database (health and system calls only) */
  deps?: Deps;
}

export interface ContextOptions {
  token: string;
  backend: BackendInfo;
  deps?: Deps;
}

// Hashing both sides gives equal-length buffers, so timingSafeEqual never leaks the token's length.
const sha256 = (value: string): Buffer => createHash("sha256").update(value, "utf8").digest();

/** Builds the per-request context factory; the token itself never enters the context. */
export function createContextFactory({ token, backend, deps }: ContextOptions) {
  const expected = sha256(token);
  const startedAt = Date.now();
  return ({ req }: { req: { headers: IncomingHttpHeaders } }): Context => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
    const presented = match?.[1];
    const authenticated = presented !== undefined && timingSafeEqual(sha256(presented), expected);
    return { authenticated, backend, startedAt, deps };
  };
}

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    // Callers never get a stack trace, nor the text of an unexpected internal error (it is logged instead).
    const { stack: _stack, ...data } = shape.data;
    const internal = error.code === "INTERNAL_SERVER_ERROR";
    return {
      ...shape,
      message: internal ? "Internal server error" : shape.message,
      // input errors keep their per-field messages so a form can show them
      data: {
        ...data,
        zodError:
          error.cause instanceof ZodError
            ? z.flattenError(error.cause as ZodError<Record<string, unknown>>)
            : null,
      },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** The plain functions' DomainErrors become the tRPC errors of the same code and message. */
const domainErrors = t.middleware(async ({ next }) => rethrowDomainErrors(await next()));

/** The only procedure builder: every call needs the bearer token (no public builder exists on purpose). */
export const authedProcedure = t.procedure.use(domainErrors).use(({ ctx, next }) => {
  if (!ctx.authenticated) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Missing or invalid bearer token" });
  }
  return next({ ctx });
});

/** Bearer token plus a configured database and queue. */
export const serviceProcedure = authedProcedure.use(({ ctx, next }) => {
  const deps = ctx.deps;
  if (!deps) {
    throw new TRPCError({
      code: "PRECONDITION_FAILED",
      message: "The inference service runs without a database: set DATABASE_URL",
    });
  }
  return next({ ctx: { ...ctx, deps } });
});
