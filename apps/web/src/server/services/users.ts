import { type Db } from "@cxr/db";

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

/** The signed-in user's own record; null when it has been deleted since the session began. */
export function getMe(db: Db, userId: string) {
  return db.user.findUnique({
    where: { id: userId },
    select: { id: true, name: true, email: true, role: true, lastLoginAt: true },
  });
}
