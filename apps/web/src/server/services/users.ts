import { type Db } from "@cxr/db";
import { DomainError } from "@cxr/domain";

const userListSelect = {
  id: true,
  name: true,
  email: true,
  role: true,
  active: true,
  lastLoginAt: true,
  createdAt: true,
} as const;

/** Every account, administrators first, then by name (the admin page's table). */
export function listUsers(db: Db) {
  return db.user.findMany({ select: userListSelect, orderBy: [{ role: "asc" }, { name: "asc" }] });
}

export type UserListItem = Awaited<ReturnType<typeof listUsers>>[number];

/** The signed-in user's own record; NOT_FOUND when it has been deleted since the session began. */
export async function getMe(db: Db, userId: string) {
  const me = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, name: true, email: true, role: true, lastLoginAt: true },
  });
  if (!me) throw new DomainError("NOT_FOUND", "Your account no longer exists.");
  return me;
}
