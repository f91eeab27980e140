// What every successful sign-in does, whichever provider checked the identity: stamp the account, write the
// audit event, and hand next-auth the user it keeps in the session.
import { recordAudit, type Db, type User } from "@cxr/db";
import { type Role } from "@cxr/domain";

export type SignInMethod = "credentials" | "oidc";

export interface AuthorizedUser {
  id: string;
  name: string;
  email: string;
  role: Role;
}

export async function completeSignIn(db: Db, user: User, method: SignInMethod): Promise<AuthorizedUser> {
  await db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  await recordAudit(db, {
    actorId: user.id,
    actorRole: user.role,
    action: "user.signed_in",
    entityType: "User",
    entityId: user.id,
    after: { method },
  });
  return { id: user.id, name: user.name, email: user.email, role: user.role };
}
