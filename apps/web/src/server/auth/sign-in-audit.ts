// The audit trail of refused sign-ins, whichever provider refused: who was tried (the account when one
// matches, else the e-mail given), how, why, and from which address. The actor is unknown: whoever tried.
import { recordAudit, type Db, type Prisma } from "@cxr/db";
import { type Role } from "@cxr/domain";
import { type SignInMethod } from "./sign-in";

export interface FailedSignIn {
  method: SignInMethod;
  /** a short code: "wrong_password", "rate_limited", "email_not_verified", ... */
  reason: string;
  /** the account the attempt named, when there is one */
  user: { id: string; role: Role } | null;
  email: string | null;
  /** the client's address, when known */
  address?: string | null;
  detail?: Record<string, Prisma.InputJsonValue>;
}

export async function recordFailedSignIn(db: Pick<Db, "auditEvent">, f: FailedSignIn): Promise<void> {
  await recordAudit(db, {
    actorId: null,
    actorRole: null,
    action: "user.sign_in_failed",
    entityType: f.user ? "User" : "SignIn",
    entityId: f.user?.id ?? f.email ?? "unknown",
    reason: f.reason,
    after: {
      method: f.method,
      email: f.email,
      address: f.address ?? null,
      ...(f.user ? { role: f.user.role } : {}),
      ...f.detail,
    },
  });
}
