// for the type of inject("testDatabaseAdminUrl")
import type {} from "@cxr/db/vitest-global-setup";
import { type Db, type Role } from "@cxr/db";
import { demoUserTemplates, seed } from "@cxr/db/seed";
import { TRPCError } from "@trpc/server";
import { type Session } from "next-auth";
import { createCaller } from "~/server/api/root";
import { createInnerContext } from "~/server/api/trpc";

export const password = (role: Role) => `test-password-${role.toLowerCase()}`;

/** The three demo users (one per role), with known passwords. */
export async function seedUsers(db: Db) {
  await seed(
    db,
    demoUserTemplates.map((u) => ({ ...u, password: password(u.role) })),
  );
  const users = await db.user.findMany();
  const byRole = (role: Role) => {
    const user = users.find((u) => u.role === role);
    if (!user) throw new Error(`seed created no ${role}`);
    return user;
  };
  return { admin: byRole("ADMIN"), radiologist: byRole("RADIOLOGIST"), annotator: byRole("ANNOTATOR") };
}

export function sessionFor(user: { id: string; name: string; email: string; role: Role }): Session {
  return {
    user: { id: user.id, name: user.name, email: user.email, role: user.role },
    expires: new Date(Date.now() + 60_000).toISOString(),
  };
}

/** A server-side caller of the web API as the given user (or signed out). */
export function callerAs(db: Db, session: Session | null) {
  return createCaller(createInnerContext({ session, db }));
}

/** The tRPC code a call failed with, or "OK" when it did not fail. */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
  return "OK";
}
