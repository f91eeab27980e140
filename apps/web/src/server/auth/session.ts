import "server-only";
import { isRole, loadActiveAccount, type AccountReader, type Role } from "@cxr/domain";
import { getServerSession, type Session } from "next-auth";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { cache } from "react";
import { roleHome } from "~/lib/roles";
import { getDb } from "~/server/db";
import { authOptions } from "./options";

/**
 * The session token's user, or null (also for a token that lacks our claims), as the token says: not checked
 * against the database. For route handlers, whose services re-check the account themselves.
 */
export const getSession = cache(async (): Promise<Session | null> => {
  // Marks the page as rendered per request before anything reads the environment, so `next build` never
  // tries to prerender a signed-in page (and never needs the runtime variables).
  await connection();
  const session = await getServerSession(authOptions());
  if (!session?.user?.id || !isRole(session.user.role)) return null;
  return session;
});

/**
 * The session as the database has it now: the account's current name, e-mail and role, or null when signed
 * out or deactivated, or when the role changed since sign-in (the proxy routes by the token's role, so a
 * changed role needs a new sign-in; trusting either alone could send the user in circles).
 */
export async function withActiveAccount(db: AccountReader, session: Session | null): Promise<Session | null> {
  if (!session) return null;
  const account = await loadActiveAccount(db, session.user.id);
  if (!account || account.role !== session.user.role) return null;
  return { ...session, user: { ...session.user, ...account } };
}

/**
 * For pages and layouts: the session checked against the database. Cached per request: the layout and the
 * page both ask.
 */
export const getActiveSession = cache(async (): Promise<Session | null> => {
  // the session first: it marks the page as rendered per request before the database reads the environment
  const session = await getSession();
  return withActiveAccount(getDb(), session);
});

/**
 * For server pages and layouts: sends a signed-out visitor (or one whose account changed) to /signin and a
 * user of another role to their own home. ADMIN passes every check.
 */
export async function requireRole(...roles: Role[]): Promise<Session> {
  const session = await getActiveSession();
  if (!session) redirect("/signin");
  const { role } = session.user;
  if (role !== "ADMIN" && roles.length > 0 && !roles.includes(role)) redirect(roleHome[role]);
  return session;
}
