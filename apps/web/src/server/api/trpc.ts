// The web API's tRPC foundation: context, transformer, error shape and the procedure builders.
import { type Db } from "@cxr/db";
import { initTRPC, TRPCError } from "@trpc/server";
import { type Session } from "next-auth";
import superjson from "superjson";
import { z } from "zod";
import { type AppRole } from "~/lib/roles";

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

export const publicProcedure = t.procedure;

/**
 * Signed-in users only. The account is re-read on each call, so a deactivated user or a changed role takes
 * effect at once instead of when the session token expires.
 */
export const protectedProcedure = t.procedure.use(async ({ ctx, next }) => {
  const userId = ctx.session?.user.id;
  if (!ctx.session || !userId) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  const account = await ctx.db.user.findUnique({
    where: { id: userId },
    select: { active: true, role: true },
  });
  if (!account?.active) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Your account is not active. Sign in again." });
  }
  const user = { ...ctx.session.user, role: account.role };
  return next({ ctx: { ...ctx, session: { ...ctx.session, user } } });
});

/** Only the given roles; anyone else signed in gets FORBIDDEN (HTTP 403). */
export function roleProcedure(...roles: [AppRole, ...AppRole[]]) {
  return protectedProcedure.use(({ ctx, next }) => {
    if (!roles.includes(ctx.session.user.role)) {
      throw new TRPCError({ code: "FORBIDDEN", message: "Your role does not allow this action." });
    }
    return next();
  });
}
