import { type Db } from "@cxr/db";
import { z } from "zod";
import { completeSignIn, type AuthorizedUser } from "./sign-in";

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

  return completeSignIn(db, user, "oidc", { oidcSubject: sub });
}
