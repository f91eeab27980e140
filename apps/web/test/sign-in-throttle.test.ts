// The sign-in rate limit against a real database: per-account and per-address blocks with backoff, no
// password check while blocked, audit events, and an administrator lifting a lockout.
import { hashPassword } from "@cxr/auth";
import { describe, expect, it } from "vitest";
import { signInErrorMessage } from "~/app/signin/messages";
import { clientAddress } from "~/server/auth/address";
import { authorizeCredentials, TooManySignInAttempts } from "~/server/auth/credentials";
import { FAILURES_LAPSE_MS, throttleRules } from "~/server/auth/throttle";
import { callerAs, sessionFor, useSeededDatabase } from "./helpers";

const t = useSeededDatabase();
const PASSWORD = "a-good-password";

let n = 0;
/** A fresh radiologist account with PASSWORD, so the tests' counts never mix. */
async function newAccount() {
  n += 1;
  return t.db.user.create({
    data: {
      email: `reader${n}@cxr.local`,
      name: `Reader ${n}`,
      role: "RADIOLOGIST",
      passwordHash: await hashPassword(PASSWORD),
    },
  });
}

const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

/** One attempt: "ok", "refused" (wrong), or the minutes of a TooManySignInAttempts. */
async function attempt(email: string, password: string, address: string | null, now?: Date) {
  try {
    const user = await authorizeCredentials(t.db, { email, password }, { address, now });
    return user ? "ok" : "refused";
  } catch (error) {
    if (error instanceof TooManySignInAttempts) return error.retryAfterMinutes;
    throw error;
  }
}

const audits = (action: string, entityId?: string) =>
  t.db.auditEvent.findMany({ where: { action, ...(entityId ? { entityId } : {}) }, orderBy: { id: "asc" } });

describe("per-account limit", () => {
  it("blocks an account after five failures in a row, with backoff, and audits each failure and the lockout", async () => {
    const u = await newAccount();
    const t0 = new Date();
    const free = throttleRules.ACCOUNT.freeFailures;
    for (let i = 1; i < free; i++) expect(await attempt(u.email, "wrong", "10.0.0.1", t0)).toBe("refused");
    // the fifth failure starts a one-minute block, and says so
    expect(await attempt(u.email, "wrong", "10.0.0.1", t0)).toBe(1);
    // blocked: even the right password, from any address, is not checked
    expect(await attempt(u.email, PASSWORD, "10.9.9.9", at(t0, 30_000))).toBe(1);

    const failures = await audits("user.sign_in_failed", u.id);
    expect(failures).toHaveLength(free);
    expect(failures[0]).toMatchObject({
      actorId: null,
      entityType: "User",
      reason: "wrong_password",
      after: { method: "credentials", email: u.email, address: "10.0.0.1", role: "RADIOLOGIST" },
    });
    const [lockout] = await audits("user.locked_out", u.id);
    expect(lockout?.after).toMatchObject({ kind: "ACCOUNT", subject: u.email, failures: free, minutes: 1 });

    // after the block, one more failure blocks twice as long
    expect(await attempt(u.email, "wrong", "10.0.0.1", at(t0, 61_000))).toBe(2);
    expect(await attempt(u.email, PASSWORD, "10.0.0.1", at(t0, 61_000 + 90_000))).toBe(1);
    // and the right password after it signs in, and forgives the account's failures
    expect(await attempt(u.email, PASSWORD, "10.0.0.1", at(t0, 61_000 + 121_000))).toBe("ok");
    expect(await t.db.signInThrottle.count({ where: { kind: "ACCOUNT", subject: u.email } })).toBe(0);
  });

  it("spends no Argon2id work on a blocked attempt", async () => {
    const u = await newAccount();
    const t0 = new Date();
    for (let i = 0; i < throttleRules.ACCOUNT.freeFailures; i++) await attempt(u.email, "wrong", null, t0);
    // a hash whose check would take tens of seconds: a blocked attempt must not even start it
    const slow = (await hashPassword(PASSWORD)).replace(/t=\d+/, "t=3000");
    await t.db.user.update({ where: { id: u.id }, data: { passwordHash: slow } });
    const started = performance.now();
    expect(await attempt(u.email, PASSWORD, null, at(t0, 1000))).toBe(1);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("counts unknown e-mails the same way (the answer tells nothing about which accounts exist)", async () => {
    const t0 = new Date();
    for (let i = 1; i < throttleRules.ACCOUNT.freeFailures; i++)
      expect(await attempt("nobody@cxr.local", "x", null, t0)).toBe("refused");
    expect(await attempt("nobody@cxr.local", "x", null, t0)).toBe(1);
    expect((await audits("user.sign_in_failed", "nobody@cxr.local"))[0]).toMatchObject({
      entityType: "SignIn",
      reason: "unknown_account",
    });
    expect((await audits("user.locked_out", "nobody@cxr.local"))[0]?.entityType).toBe("SignIn");
  });

  it("forgets failures after a quiet day, and after a successful sign-in", async () => {
    const u = await newAccount();
    const t0 = new Date(Date.now() - 2 * FAILURES_LAPSE_MS);
    for (let i = 1; i < throttleRules.ACCOUNT.freeFailures; i++) await attempt(u.email, "wrong", null, t0);
    const later = at(t0, FAILURES_LAPSE_MS + 1000);
    for (let i = 1; i < throttleRules.ACCOUNT.freeFailures; i++)
      expect(await attempt(u.email, "wrong", null, later)).toBe("refused");
    expect(await attempt(u.email, PASSWORD, null, later)).toBe("ok");
    for (let i = 1; i < throttleRules.ACCOUNT.freeFailures; i++)
      expect(await attempt(u.email, "wrong", null, later)).toBe("refused");
  });
});

describe("per-address limit", () => {
  it("blocks an address that fails across many accounts, not the accounts from elsewhere", async () => {
    const address = "203.0.113.7";
    const t0 = new Date();
    const free = throttleRules.ADDRESS.freeFailures;
    // one failure per e-mail: no account limit is reached
    for (let i = 1; i < free; i++)
      expect(await attempt(`guess${i}@cxr.local`, "x", address, t0)).toBe("refused");
    expect(await attempt(`guess${free}@cxr.local`, "x", address, t0)).toBe(1);
    expect((await audits("sign_in.address_blocked", address))[0]).toMatchObject({
      entityType: "SignIn",
      after: { kind: "ADDRESS", subject: address, failures: free },
    });
    const u = await newAccount();
    expect(await attempt(u.email, PASSWORD, address, at(t0, 1000))).toBe(1);
    expect(await attempt(u.email, PASSWORD, "198.51.100.1", at(t0, 1000))).toBe("ok");
    // a success elsewhere does not reset the address
    expect(await attempt(u.email, PASSWORD, address, at(t0, 2000))).toBe(1);
  });

  it("reads the client's address as the nearest hop saw it", () => {
    expect(clientAddress(new Headers({ "x-forwarded-for": "1.2.3.4, 10.0.0.2" }))).toBe("10.0.0.2");
    expect(clientAddress({ "x-forwarded-for": "::ffff:127.0.0.1" })).toBe("127.0.0.1");
    expect(clientAddress({ "x-real-ip": "192.0.2.1" })).toBe("192.0.2.1");
    expect(clientAddress({})).toBeNull();
    expect(clientAddress(undefined)).toBeNull();
  });
});

describe("admin.signIn", () => {
  it("lists lockouts to an ADMIN, who lifts one (audited) so the account signs in at once", async () => {
    const u = await newAccount();
    for (let i = 0; i < throttleRules.ACCOUNT.freeFailures; i++) await attempt(u.email, "wrong", null);
    expect(await attempt(u.email, PASSWORD, null)).toBe(1);

    const admin = callerAs(t.db, sessionFor(t.users.admin));
    const lockouts = await admin.admin.signIn.lockouts();
    expect(lockouts).toContainEqual(
      expect.objectContaining({ kind: "ACCOUNT", subject: u.email, user: { id: u.id, name: u.name } }),
    );
    // not for anyone else
    const rosa = callerAs(t.db, sessionFor(t.users.radiologist));
    await expect(rosa.admin.signIn.lockouts()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(rosa.admin.signIn.lift({ kind: "ACCOUNT", subject: u.email })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(
      callerAs(t.db, null).admin.signIn.lift({ kind: "ACCOUNT", subject: u.email }),
    ).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });

    expect(await admin.admin.signIn.lift({ kind: "ACCOUNT", subject: u.email })).toEqual({ lifted: true });
    expect(await admin.admin.signIn.lift({ kind: "ACCOUNT", subject: u.email })).toEqual({ lifted: false });
    const [lifted] = await audits("sign_in.lockout_lifted", u.id);
    expect(lifted).toMatchObject({ actorId: t.users.admin.id, actorRole: "ADMIN", entityType: "User" });
    expect((await admin.admin.signIn.lockouts()).map((l) => l.subject)).not.toContain(u.email);
    expect(await attempt(u.email, PASSWORD, null)).toBe("ok");
  });
});

describe("the sign-in page's message", () => {
  it("says how long to wait", () => {
    expect(signInErrorMessage(new TooManySignInAttempts(3).message)).toBe(
      "Too many attempts: try again in 3 minutes.",
    );
    expect(signInErrorMessage("TooManyAttempts:1")).toBe("Too many attempts: try again in 1 minute.");
    expect(signInErrorMessage("TooManyAttempts:x")).toBe("Sign-in failed. Try again.");
  });
});
