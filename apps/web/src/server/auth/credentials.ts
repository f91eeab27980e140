import { type Db } from "@cxr/db";
import { verifyPassword } from "@cxr/auth";
import { z } from "zod";
import { completeSignIn, type AuthorizedUser } from "./sign-in";

export const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  password: z.string().min(1).max(1024),
});

// A valid argon2id hash of a random string: verifying against it when the e-mail is unknown costs the
// same time as a real check, so response times do not reveal which e-mails have accounts.
const DUMMY_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$GJqJy68tkv4EanWpoxT5Lg$0ykRYd0WQwCLKGR+tSaKmQhS5yML25HkRbaUQqkK4sg";

/**
 * The credentials provider's check: the user for a right e-mail and password of an active account,
 * otherwise null (one answer for every failure, so the form cannot be used to probe accounts).
 */
export async function authorizeCredentials(db: Db, raw: unknown): Promise<AuthorizedUser | null> {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;

  const user = await db.user.findUnique({ where: { email } });
  const ok = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, password);
  if (!user || !user.passwordHash || !ok || !user.active) return null;

  return completeSignIn(db, user, "credentials");
}
