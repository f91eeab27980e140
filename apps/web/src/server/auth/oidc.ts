// Single sign-on. It never creates accounts: the identity provider's user must already have an active account
// here. An account linked before (its stored `sub`) signs in by that subject alone. An account is linked by
// e-mail only once, at the first single sign-on, and only when the provider vouches for the address
// (`email_verified: true`), the token comes from the configured issuer, and the address's domain is one the
// hospital allows: otherwise whoever can register that address at some provider could take the account over.
import { recordAudit, type Db } from "@cxr/db";
import { type Role } from "@cxr/domain";
import { z } from "zod";
import { recordFailedSignIn } from "./sign-in-audit";
import { completeSignIn, type AuthorizedUser } from "./sign-in";

export interface OidcPolicy {
  /** the configured issuer: the only one whose tokens are accepted */
  issuer: string;
  /** e-mail domains an account may be linked from (lower case); empty: any domain */
  emailDomains: readonly string[];
}

const oidcIdentitySchema = z.object({
  sub: z.string().min(1),
  iss: z.string().min(1),
  email: z.string().trim().toLowerCase().pipe(z.email()).optional(),
  email_verified: z.unknown().optional(),
});

export type OidcRefusal =
  | "malformed"
  | "wrong_issuer"
  | "unknown_subject_without_email"
  | "email_not_verified"
  | "email_domain_not_allowed"
  | "no_account"
  | "inactive"
  | "linked_to_other_subject";

const withoutSlash = (url: string) => url.replace(/\/+$/, "");

/** The domain of an e-mail address, lower case. */
const domainOf = (email: string) => email.slice(email.lastIndexOf("@") + 1).toLowerCase();

/**
 * The account a provider's identity (the ID token's claims) signs in to, or null. Every refusal is audited
 * (`user.sign_in_failed`, method oidc, with the reason), and so is every new link (`user.sso_linked`).
 */
export async function authorizeOidc(
  db: Db,
  raw: unknown,
  policy: OidcPolicy,
): Promise<AuthorizedUser | null> {
  const parsed = oidcIdentitySchema.safeParse(raw);
  const claims = parsed.success ? parsed.data : null;
  const refuse = async (reason: OidcRefusal, user?: { id: string; role: Role } | null) => {
    await recordFailedSignIn(db, {
      method: "oidc",
      reason,
      user: user ?? null,
      email: claims?.email ?? null,
      detail: claims ? { subject: claims.sub, issuer: claims.iss } : {},
    });
    return null;
  };
  if (!claims) return refuse("malformed");
  if (withoutSlash(claims.iss) !== withoutSlash(policy.issuer)) return refuse("wrong_issuer");

  const linked = await db.user.findUnique({ where: { oidcSubject: claims.sub } });
  if (linked) {
    if (!linked.active) return refuse("inactive", linked);
    return completeSignIn(db, linked, "oidc");
  }

  // first single sign-on of this subject: link by e-mail, only for an address the provider verified
  const { email } = claims;
  if (!email) return refuse("unknown_subject_without_email");
  if (claims.email_verified !== true) return refuse("email_not_verified");
  if (policy.emailDomains.length > 0 && !policy.emailDomains.includes(domainOf(email)))
    return refuse("email_domain_not_allowed");
  const user = await db.user.findUnique({ where: { email } });
  if (!user) return refuse("no_account");
  if (!user.active) return refuse("inactive", user);
  // linked to another subject: the address was re-used at the provider, or belongs to someone else there
  // (the condition also settles two first sign-ins racing for the same account)
  const { count } = await db.user.updateMany({
    where: { id: user.id, oidcSubject: null },
    data: { oidcSubject: claims.sub },
  });
  if (count === 0) return refuse("linked_to_other_subject", user);

  await recordAudit(db, {
    actorId: user.id,
    actorRole: user.role,
    action: "user.sso_linked",
    entityType: "User",
    entityId: user.id,
    after: { subject: claims.sub, issuer: claims.iss, email },
  });
  return completeSignIn(db, user, "oidc");
}
