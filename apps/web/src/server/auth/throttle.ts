// The sign-in rate limit: failed password sign-ins counted per account (the e-mail typed, known or not) and per
// client address, in the database so every web process shares the counts. A few failures are free; each one
// after that blocks the subject for twice as long as the one before, up to an hour. Checked before the
// password is, so a blocked attempt costs no Argon2id work. An administrator can lift a block (a lockout).
import { recordAudit, type Db, type Role, type SignInThrottleKind } from "@cxr/db";
import { lockKey, withAdvisoryLock } from "@cxr/domain";

export interface ThrottleSubject {
  kind: SignInThrottleKind;
  subject: string;
}

interface ThrottleRule {
  /** failures in a row before the first block */
  freeFailures: number;
  firstBlockMs: number;
  maxBlockMs: number;
}

const MINUTE = 60_000;

export const throttleRules: Record<SignInThrottleKind, ThrottleRule> = {
  // five tries for a forgotten password, then 1, 2, 4 ... 60 minutes
  ACCOUNT: { freeFailures: 5, firstBlockMs: MINUTE, maxBlockMs: 60 * MINUTE },
  // one address may be a hospital's NAT: more room, the same backoff
  ADDRESS: { freeFailures: 20, firstBlockMs: MINUTE, maxBlockMs: 60 * MINUTE },
};

/** Failures in a row lapse after a day without one. */
export const FAILURES_LAPSE_MS = 24 * 60 * MINUTE;

/** How long the `failures`-th failure in a row blocks the subject (0: not at all). */
export function blockDuration(kind: SignInThrottleKind, failures: number): number {
  const rule = throttleRules[kind];
  if (failures < rule.freeFailures) return 0;
  return Math.min(rule.firstBlockMs * 2 ** (failures - rule.freeFailures), rule.maxBlockMs);
}

/** What a sign-in attempt is counted against: the account, and the address when known. */
export function throttleSubjects(email: string, address: string | null): ThrottleSubject[] {
  return [
    { kind: "ACCOUNT", subject: email },
    ...(address ? [{ kind: "ADDRESS" as const, subject: address }] : []),
  ];
}

/** Whole minutes until `until`, at least 1 (for "try again in N minutes"). */
export const minutesUntil = (until: Date, now: Date) =>
  Math.max(1, Math.ceil((until.getTime() - now.getTime()) / MINUTE));

/** The latest time until which any of the subjects is blocked, or null when none is blocked now. */
export async function blockedUntil(
  db: Pick<Db, "signInThrottle">,
  subjects: ThrottleSubject[],
  now: Date,
): Promise<Date | null> {
  const row = await db.signInThrottle.findFirst({
    where: { OR: subjects, blockedUntil: { gt: now } },
    orderBy: { blockedUntil: "desc" },
    select: { blockedUntil: true },
  });
  return row?.blockedUntil ?? null;
}

export interface NewBlock extends ThrottleSubject {
  failures: number;
  blockedUntil: Date;
}

/** Counts one failure against each subject; returns the blocks it started. */
export async function recordFailure(db: Db, subjects: ThrottleSubject[], now: Date): Promise<NewBlock[]> {
  return db.$transaction(async (tx) => {
    const blocks: NewBlock[] = [];
    // one order for the locks, so two processes counting the same pair cannot deadlock
    const ordered = [...subjects].sort((a, b) => (a.kind + a.subject < b.kind + b.subject ? -1 : 1));
    for (const s of ordered) {
      await withAdvisoryLock(tx, lockKey("sign-in-throttle", s.kind, s.subject));
      const row = await tx.signInThrottle.findUnique({ where: { kind_subject: s } });
      const lapsed = !row || now.getTime() - row.lastFailureAt.getTime() > FAILURES_LAPSE_MS;
      const failures = (lapsed ? 0 : row.failures) + 1;
      const blockMs = blockDuration(s.kind, failures);
      const until = blockMs > 0 ? new Date(now.getTime() + blockMs) : null;
      const data = { failures, lastFailureAt: now, blockedUntil: until };
      await tx.signInThrottle.upsert({ where: { kind_subject: s }, create: { ...s, ...data }, update: data });
      if (until) blocks.push({ ...s, failures, blockedUntil: until });
    }
    return blocks;
  });
}

/** A successful sign-in: the account's failures are forgiven (the address's are not: one good account must
 * not reset an address that guesses at others). */
export async function clearAccountFailures(db: Pick<Db, "signInThrottle">, email: string): Promise<void> {
  await db.signInThrottle.deleteMany({ where: { kind: "ACCOUNT", subject: email } });
}

export interface SignInLockout extends ThrottleSubject {
  failures: number;
  blockedUntil: Date;
  lastFailureAt: Date;
  /** the account of an ACCOUNT lockout, when the e-mail has one */
  user: { id: string; name: string } | null;
}

/** The subjects blocked now, the longest block first (the admin page's list). */
export async function listLockouts(db: Db, now: Date = new Date()): Promise<SignInLockout[]> {
  const rows = await db.signInThrottle.findMany({
    where: { blockedUntil: { gt: now } },
    orderBy: [{ blockedUntil: "desc" }, { subject: "asc" }],
    select: { kind: true, subject: true, failures: true, blockedUntil: true, lastFailureAt: true },
  });
  const emails = rows.filter((r) => r.kind === "ACCOUNT").map((r) => r.subject);
  const users = emails.length
    ? await db.user.findMany({
        where: { email: { in: emails } },
        select: { id: true, name: true, email: true },
      })
    : [];
  return rows.flatMap((r) => {
    if (!r.blockedUntil) return [];
    const user = r.kind === "ACCOUNT" ? users.find((u) => u.email === r.subject) : undefined;
    return [{ ...r, blockedUntil: r.blockedUntil, user: user ? { id: user.id, name: user.name } : null }];
  });
}

/**
 * An administrator lifts a block: the subject's failures are forgotten, so it signs in (or tries) afresh.
 * Audited. Returns whether there was anything to lift.
 */
export async function liftLockout(
  db: Db,
  admin: { id: string; role: Role },
  target: ThrottleSubject,
): Promise<{ lifted: boolean }> {
  return db.$transaction(async (tx) => {
    await withAdvisoryLock(tx, lockKey("sign-in-throttle", target.kind, target.subject));
    const row = await tx.signInThrottle.findUnique({ where: { kind_subject: target } });
    if (!row) return { lifted: false };
    await tx.signInThrottle.delete({ where: { kind_subject: target } });
    const user =
      target.kind === "ACCOUNT"
        ? await tx.user.findUnique({ where: { email: target.subject }, select: { id: true } })
        : null;
    await recordAudit(tx, {
      actorId: admin.id,
      actorRole: admin.role,
      action: "sign_in.lockout_lifted",
      entityType: user ? "User" : "SignIn",
      entityId: user?.id ?? target.subject,
      before: {
        kind: row.kind,
        subject: row.subject,
        failures: row.failures,
        blockedUntil: row.blockedUntil?.toISOString() ?? null,
      },
    });
    return { lifted: true };
  });
}
