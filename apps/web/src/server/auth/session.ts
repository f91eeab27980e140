import "server-only";
import { getServerSession, type Session } from "next-auth";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { cache } from "react";
import { type AppRole, isAppRole, roleHome } from "~/lib/roles";
import { authOptions } from "./options";

/**
 * The signed-in user's session, or null (also for a token that lacks our claims). Cached per request:
 * the layout and the page both ask.
 */
export const getSession = cache(async (): Promise<Session | null> => {
  // Marks the page as rendered per request before anything reads the environment, so `next build` never
  // tries to prerender a signed-in page (and never needs the runtime variables).
  await connection();
  const session = await getServerSession(authOptions());
  if (!session?.user?.id || !isAppRole(session.user.role)) return null;
  return session;
});

/**
 * For server pages and layouts: sends a signed-out visitor to /signin and a user of another role to
 * their own home. ADMIN passes every check.
 */
export async function requireRole(...roles: AppRole[]): Promise<Session> {
  const session = await getSession();
  if (!session) redirect("/signin");
  const { role } = session.user;
  if (role !== "ADMIN" && roles.length > 0 && !roles.includes(role)) redirect(roleHome[role]);
  return session;
}
