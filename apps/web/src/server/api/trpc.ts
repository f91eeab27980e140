// The web API's tRPC foundation: context, transformer, error shape and the procedure builders.
import { type Db } from "@cxr/db";
import { DomainError, requireActiveAccount, type Role } from "@cxr/domain";
import { rethrowDomainErrors } from "@cxr/domain/trpc";
import { initTRPC } from "@trpc/server";
import { type Session } from "next-auth";
import superjson from "superjson";
import { z } from "zod";

export interface Context {
  session: Session | null;
  db: Db;
}

/** Also the test entry point: tests pass a session of their choosing and a test database. */
export function createInnerContext(opts: Context): Context {
  return { session: opts.session, db: opts.db };
}

const INTERNAL_MESSAGE =
  "Something went wrong on the server. Try again; if it keeps happening, tell an administrator.";

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const internal = error.code === "INTERNAL_SERVER_ERROR";
    return {
      // Internal errors keep their details in the server log: the client gets a message a person can act
      // on, and never a stack trace (rebuilt here rather than spread, so no `stack` field survives).
      message: internal ? INTERNAL_MESSAGE : shape.message,
      code: shape.code,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        zodError: error.cause instanceof z.ZodError ? z.flattenError(error.cause) : null,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * The one place where the services' DomainErrors become tRPC errors (same code and message), so the services
 * stay plain functions and the routers stay thin. Every procedure builder starts from this.
 */
const domainErrors = t.middleware(async ({ next }) => rethrowDomainErrors(await next()));

export const publicProcedure = t.procedure.use(domainErrors);

/**
 * The signed-in user's account, re-read on each call so a deactivated user or a changed role takes effect at
 * once instead of when the session token expires; with `roles`, only those.
 */
const activeAccount = (roles?: readonly Role[]) =>
  t.middleware(async ({ ctx, next }) => {
    if (!ctx.session) throw new DomainError("UNAUTHORIZED", "Sign in to continue.");
    const account = await requireActiveAccount(ctx.db, ctx.session.user.id, roles);
    const user = { ...ctx.session.user, ...account };
    return next({ ctx: { ...ctx, session: { ...ctx.session, user } } });
  });

/** Signed-in users with an active account. */
export const protectedProcedure = publicProcedure.use(activeAccount());

/** Only the given roles; anyone else signed in gets FORBIDDEN (HTTP 403). */
export function roleProcedure(...roles: [Role, ...Role[]]) {
  return publicProcedure.use(activeAccount(roles));
}
