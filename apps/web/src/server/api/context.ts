import "server-only";
import { getSession } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { createInnerContext, type Context } from "./trpc";

/** The context of an HTTP request: the caller's session from its cookie. */
export async function createTRPCContext(): Promise<Context> {
  return createInnerContext({ session: await getSession(), db: getDb() });
}
