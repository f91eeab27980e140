import { recordAudit, type Db } from "@cxr/db";
import { z } from "zod";
import { type AuthorizedUser } from "./credentials";

const oidcIdentitySchema = z.object({
  sub: z.string().min(1),
  email: z.string().trim().toLowerCase().pipe(z.email()),
});

/**
 * Single sign-on never creates accounts: the identity provider's e-mail must belong to an existing active
 * user. The `sub` is stored at the first sign-in and must match afterwards, so a re-used e-mail address at
 * the provider cannot take over the account.
 */
export async function authorizeOidc(db: Db, raw: unknown): Promise<AuthorizedUser | null> {
  const parsed = oidcIdentitySchema.safeParse(raw);
  if (!parsed.success) return null;
  const { sub, email } = parsed.data;

  const user = await db.user.findUnique({ where: { email } });
  if (!user || !user.active) return null;
  if (user.oidcSubject && user.oidcSubject !== sub) return null;

  await db.user.update({ where: { id: user.id }, data: { oidcSubject: sub, lastLoginAt: new Date() } });
  await recordAudit(db, {
    actorId: user.id,
    actorRole: user.role,
    action: "user.signed_in",
    entityType: "User",
    entityId: user.id,
    after: { method: "oidc" },
  });
  return { id: user.id, name: user.name, email: user.email, role: user.role };
}
