// Accounts: the admin page's list, the signed-in user's own record, and the administration of accounts
// (create with a generated password, change role, deactivate / reactivate, reset password), each audited.
import { randomBytes } from "node:crypto";
import { hashPassword } from "@cxr/auth";
import { recordAudit, type Db, type Prisma } from "@cxr/db";
import { DomainError, lockKey, roleSchema, withAdvisoryLock, type Role } from "@cxr/domain";
import { z } from "zod";

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

// ---------------------------------------------------------------- administration (ADMIN only, audited)

export interface Actor {
  id: string;
  role: Role;
}

export const newUserSchema = z.object({
  email: z
    .email()
    .max(320)
    .transform((e) => e.toLowerCase()),
  name: z.string().trim().min(1).max(200),
  role: roleSchema,
});

/** A generated password: 18 random bytes in base64url (24 characters, 144 bits), shown to the admin once. */
export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}

const ADMIN_LOCK = lockKey("users", "active-admins");

/**
 * Creates an account with a generated password, which is returned once (only its Argon2id hash is kept).
 * CONFLICT when the e-mail is taken.
 */
export async function createUser(db: Db, actor: Actor, input: z.input<typeof newUserSchema>) {
  const data = newUserSchema.parse(input);
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  return db.$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email: data.email }, select: { id: true } }))
      throw new DomainError("CONFLICT", `An account with the e-mail ${data.email} exists already.`);
    const user = await tx.user.create({ data: { ...data, passwordHash }, select: userListSelect });
    await recordAudit(tx, {
      actorId: actor.id,
      actorRole: actor.role,
      action: "user.created",
      entityType: "User",
      entityId: user.id,
      after: { email: user.email, name: user.name, role: user.role },
    });
    return { user, password };
  });
}

async function loadUser(tx: Prisma.TransactionClient, userId: string) {
  const user = await tx.user.findUnique({ where: { id: userId }, select: userListSelect });
  if (!user) throw new DomainError("NOT_FOUND", "This account does not exist.");
  return user;
}

/** Refuses a change that would leave no active administrator (serialised, so two admins cannot race past it). */
async function assertAnotherActiveAdmin(tx: Prisma.TransactionClient, user: UserListItem, what: string) {
  if (user.role !== "ADMIN" || !user.active) return;
  await withAdvisoryLock(tx, ADMIN_LOCK);
  const others = await tx.user.count({ where: { role: "ADMIN", active: true, id: { not: user.id } } });
  if (others === 0)
    throw new DomainError(
      "PRECONDITION_FAILED",
      `${user.name} is the last active administrator: ${what} would leave nobody to administer the platform.`,
    );
}

export async function changeRole(db: Db, actor: Actor, userId: string, role: Role) {
  return db.$transaction(async (tx) => {
    const user = await loadUser(tx, userId);
    if (user.role === role) return user;
    if (role !== "ADMIN") await assertAnotherActiveAdmin(tx, user, "changing their role");
    const updated = await tx.user.update({ where: { id: userId }, data: { role }, select: userListSelect });
    await recordAudit(tx, {
      actorId: actor.id,
      actorRole: actor.role,
      action: "user.role_changed",
      entityType: "User",
      entityId: userId,
      before: { role: user.role },
      after: { role },
    });
    return updated;
  });
}

/** Deactivates (signs them out at their next request) or reactivates an account. */
export async function setUserActive(db: Db, actor: Actor, userId: string, active: boolean) {
  return db.$transaction(async (tx) => {
    const user = await loadUser(tx, userId);
    if (user.active === active) return user;
    if (!active) await assertAnotherActiveAdmin(tx, user, "deactivating them");
    const updated = await tx.user.update({ where: { id: userId }, data: { active }, select: userListSelect });
    await recordAudit(tx, {
      actorId: actor.id,
      actorRole: actor.role,
      action: active ? "user.reactivated" : "user.deactivated",
      entityType: "User",
      entityId: userId,
      before: { active: user.active },
      after: { active },
    });
    return updated;
  });
}

/** Replaces the password with a generated one, returned once; the old one stops working at once. */
export async function resetPassword(db: Db, actor: Actor, userId: string) {
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  return db.$transaction(async (tx) => {
    const user = await loadUser(tx, userId);
    await tx.user.update({ where: { id: userId }, data: { passwordHash } });
    // the password itself never reaches the audit trail
    await recordAudit(tx, {
      actorId: actor.id,
      actorRole: actor.role,
      action: "user.password_reset",
      entityType: "User",
      entityId: userId,
    });
    return { user, password };
  });
}
