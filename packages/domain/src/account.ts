// The account behind a session or a token, read again on every request so a deactivation or a role change
// takes effect at once rather than when a session expires.
import { type Role } from "./enums";
import { DomainError } from "./errors";

export interface ActiveAccount {
  id: string;
  email: string;
  name: string;
  role: Role;
}

interface AccountRow extends ActiveAccount {
  active: boolean;
}

/** The part of the database client this needs (Prisma's client and transaction client both fit). */
export interface AccountReader {
  user: {
    findUnique(args: {
      where: { id: string };
      select: { id: true; email: true; name: true; role: true; active: true };
    }): PromiseLike<AccountRow | null>;
  };
}

/** The user if the account exists and is active, else null. */
export async function loadActiveAccount(db: AccountReader, userId: string): Promise<ActiveAccount | null> {
  const row = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, role: true, active: true },
  });
  if (!row?.active) return null;
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}

/**
 * The active account with one of `roles`: UNAUTHORIZED for no session or an inactive account, FORBIDDEN for
 * another role.
 */
export async function requireActiveAccount(
  db: AccountReader,
  userId: string | null | undefined,
  roles?: readonly Role[],
): Promise<ActiveAccount> {
  const account = userId ? await loadActiveAccount(db, userId) : null;
  if (!account)
    throw new DomainError("UNAUTHORIZED", "Your account is not active or you are signed out. Sign in again.");
  if (roles && !roles.includes(account.role))
    throw new DomainError("FORBIDDEN", "Your role does not allow this action.");
  return account;
}
