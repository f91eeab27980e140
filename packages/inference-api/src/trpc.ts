// The inference API's tRPC instance: context, transformer, error shape and the procedure builders.
import { rethrowDomainErrors } from "@cxr/domain/trpc";
import { initTRPC, TRPCError } from "@trpc/server";
import { z, ZodError } from "zod";
import type { InferenceHandlers } from "./contract/handlers";
import { transformer } from "./wire";

export interface InferenceContext {
  /** whether the request carried the service's bearer token (the token itself never enters the context) */
  authenticated: boolean;
  handlers: InferenceHandlers;
}

const t = initTRPC.context<InferenceContext>().create({
  transformer,
  errorFormatter({ shape, error }) {
    // Callers never get a stack trace, nor the text of an unexpected internal error (the service logs it).
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

/** The implementation's DomainErrors become the tRPC errors of the same code and message. */
const domainErrors = t.middleware(async ({ next }) => rethrowDomainErrors(await next()));

/** The only procedure builder: every call needs the bearer token (no public builder exists on purpose). */
export const authedProcedure = t.procedure.use(domainErrors).use(({ ctx, next }) => {
  if (!ctx.authenticated) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Missing or invalid bearer token" });
  }
  return next({ ctx });
});

/** Bearer token plus a service running with its database and job queue. */
export const serviceProcedure = authedProcedure.use(({ ctx, next }) => {
  const service = ctx.handlers.service;
  if (!service) {
    throw new TRPCError({
      code: "PRECONDITION_FAILED",
      message: "The inference service runs without a database: set DATABASE_URL",
    });
  }
  return next({ ctx: { service } });
});
