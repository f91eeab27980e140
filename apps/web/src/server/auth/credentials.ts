import { verifyPassword } from "@cxr/auth";
import { recordAudit, type Db } from "@cxr/db";
import { z } from "zod";
import { tooManyAttemptsCode } from "~/app/signin/messages";
import { recordFailedSignIn } from "./sign-in-audit";
import { completeSignIn, type AuthorizedUser } from "./sign-in";
import {
  blockedUntil,
  clearAccountFailures,
  minutesUntil,
  recordFailure,
  throttleSubjects,
  type NewBlock,
} from "./throttle";

export const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  password: z.string().min(1).max(1024),
});

// A valid argon2id hash of a random string: verifying against it when the e-mail is unknown costs the
// same time as a real check, so response times do not reveal which e-mails have accounts.
const DUMMY_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$GJqJy68tkv4EanWpoxT5Lg$0ykRYd0WQwCLKGR+tSaKmQhS5yML25HkRbaUQqkK4sg";

/** A sign-in refused by the rate limit; its message is the code the sign-in page turns into a sentence. */
export class TooManySignInAttempts extends Error {
  constructor(readonly retryAfterMinutes: number) {
    super(tooManyAttemptsCode(retryAfterMinutes));
    this.name = "TooManySignInAttempts";
  }
}

export interface SignInContext {
  /** the client's network address, when known (see clientAddress) */
  address: string | null;
  now?: Date;
}

/**
 * The credentials provider's check: the user for a right e-mail and password of an active account,
 * otherwise null (one answer for every failure, so the form cannot be used to probe accounts). Throws
 * TooManySignInAttempts, without checking the password, while the account or the address is blocked, and
 * when this failure starts a block. Every failure is audited, and so is every block it starts.
 */
export async function authorizeCredentials(
  db: Db,
  raw: unknown,
  context: SignInContext = { address: null },
): Promise<AuthorizedUser | null> {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  const now = context.now ?? new Date();
  const subjects = throttleSubjects(email, context.address);

  const until = await blockedUntil(db, subjects, now);
  if (until) throw new TooManySignInAttempts(minutesUntil(until, now));

  const user = await db.user.findUnique({ where: { email } });
  const ok = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, password);
  if (user?.passwordHash && ok && user.active) {
    await clearAccountFailures(db, email);
    return completeSignIn(db, user, "credentials");
  }

  const reason = !user
    ? "unknown_account"
    : !user.passwordHash
      ? "no_password"
      : !ok
        ? "wrong_password"
        : "inactive";
  const target = user ? { id: user.id, role: user.role } : null;
  await recordFailedSignIn(db, {
    method: "credentials",
    reason,
    user: target,
    email,
    address: context.address,
  });
  const blocks = await recordFailure(db, subjects, now);
  for (const block of blocks) await auditBlock(db, block, target, now);
  const longest = blocks.reduce<Date | null>((m, b) => (m && m > b.blockedUntil ? m : b.blockedUntil), null);
  if (longest) throw new TooManySignInAttempts(minutesUntil(longest, now));
  return null;
}

async function auditBlock(db: Db, block: NewBlock, user: { id: string } | null, now: Date): Promise<void> {
  const account = block.kind === "ACCOUNT";
  await recordAudit(db, {
    actorId: null,
    actorRole: null,
    action: account ? "user.locked_out" : "sign_in.address_blocked",
    entityType: account && user ? "User" : "SignIn",
    entityId: account && user ? user.id : block.subject,
    after: {
      kind: block.kind,
      subject: block.subject,
      failures: block.failures,
      blockedUntil: block.blockedUntil.toISOString(),
      minutes: minutesUntil(block.blockedUntil, now),
    },
  });
}
