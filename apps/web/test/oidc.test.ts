import { beforeEach, describe, expect, it } from "vitest";
import { authorizeOidc, type OidcPolicy } from "~/server/auth/oidc";
import { useSeededDatabase } from "./helpers";

const t = useSeededDatabase();

const ISSUER = "https://sso.hospital.example/realms/radiology";
const policy: OidcPolicy = { issuer: ISSUER, emailDomains: ["cxr.local"] };
const claims = (over: Record<string, unknown> = {}) => ({
  iss: `${ISSUER}/`,
  sub: "idp-admin",
  email: "admin@cxr.local",
  email_verified: true,
  ...over,
});

beforeEach(async () => {
  await t.db.user.updateMany({ data: { oidcSubject: null, active: true } });
});

async function subjectOf(id: string) {
  return (await t.db.user.findUniqueOrThrow({ where: { id } })).oidcSubject;
}

async function lastFailure() {
  return t.db.auditEvent.findFirst({ where: { action: "user.sign_in_failed" }, orderBy: { id: "desc" } });
}

describe("authorizeOidc", () => {
  it("links an active account by a verified e-mail of an allowed domain, once, and audits the link", async () => {
    const user = await authorizeOidc(t.db, claims(), policy);
    expect(user?.id).toBe(t.users.admin.id);
    expect(await subjectOf(t.users.admin.id)).toBe("idp-admin");
    const link = await t.db.auditEvent.findFirstOrThrow({
      where: { action: "user.sso_linked", entityId: t.users.admin.id },
      orderBy: { id: "desc" },
    });
    expect(link.after).toEqual({ subject: "idp-admin", issuer: `${ISSUER}/`, email: "admin@cxr.local" });
    expect(link.actorId).toBe(t.users.admin.id);

    // afterwards the subject alone signs in, even after the address changed at the provider
    const links = await t.db.auditEvent.count({ where: { action: "user.sso_linked" } });
    const again = await authorizeOidc(t.db, claims({ email: "a.admin@elsewhere.org" }), policy);
    expect(again?.id).toBe(t.users.admin.id);
    expect(await t.db.auditEvent.count({ where: { action: "user.sso_linked" } })).toBe(links);
  });

  it("refuses an e-mail the provider has not verified (missing, false or the string 'true')", async () => {
    for (const email_verified of [undefined, false, "true"]) {
      expect(await authorizeOidc(t.db, claims({ email_verified }), policy)).toBeNull();
      expect(await lastFailure()).toMatchObject({
        entityType: "SignIn",
        entityId: "admin@cxr.local",
        reason: "email_not_verified",
      });
    }
    expect(await subjectOf(t.users.admin.id)).toBeNull();
  });

  it("refuses an e-mail domain that is not allowed", async () => {
    const other = await t.db.user.create({
      data: { email: "rosa@gmail.example", name: "Rosa Elsewhere", role: "RADIOLOGIST" },
    });
    expect(await authorizeOidc(t.db, claims({ sub: "idp-rosa", email: other.email }), policy)).toBeNull();
    expect((await lastFailure())?.reason).toBe("email_domain_not_allowed");
    expect(await subjectOf(other.id)).toBeNull();
    // with no domain list configured, the domain is not restricted
    const open = { ...policy, emailDomains: [] };
    expect((await authorizeOidc(t.db, claims({ sub: "idp-rosa", email: other.email }), open))?.id).toBe(
      other.id,
    );
  });

  it("refuses a token from another issuer", async () => {
    expect(await authorizeOidc(t.db, claims({ iss: "https://evil.example" }), policy)).toBeNull();
    expect((await lastFailure())?.reason).toBe("wrong_issuer");
    expect(await subjectOf(t.users.admin.id)).toBeNull();
  });

  it("refuses an account already linked to another subject, and does not relink it", async () => {
    expect((await authorizeOidc(t.db, claims(), policy))?.id).toBe(t.users.admin.id);
    expect(await authorizeOidc(t.db, claims({ sub: "idp-attacker" }), policy)).toBeNull();
    expect(await lastFailure()).toMatchObject({
      entityId: t.users.admin.id,
      reason: "linked_to_other_subject",
    });
    expect(await subjectOf(t.users.admin.id)).toBe("idp-admin");
  });

  it("refuses unknown e-mails (never creates an account) and deactivated accounts, linked or not", async () => {
    expect(
      await authorizeOidc(t.db, claims({ sub: "idp-x", email: "stranger@cxr.local" }), policy),
    ).toBeNull();
    expect(await lastFailure()).toMatchObject({ entityType: "SignIn", reason: "no_account" });
    expect(await t.db.user.count({ where: { email: "stranger@cxr.local" } })).toBe(0);

    await t.db.user.update({ where: { id: t.users.admin.id }, data: { active: false } });
    expect(await authorizeOidc(t.db, claims(), policy)).toBeNull();
    expect((await lastFailure())?.reason).toBe("inactive");
    await t.db.user.update({ where: { id: t.users.admin.id }, data: { oidcSubject: "idp-admin" } });
    expect(await authorizeOidc(t.db, claims(), policy)).toBeNull();
    expect((await lastFailure())?.reason).toBe("inactive");
  });

  it("refuses malformed claims", async () => {
    expect(await authorizeOidc(t.db, { email: "admin@cxr.local" }, policy)).toBeNull();
    expect(await authorizeOidc(t.db, undefined, policy)).toBeNull();
    expect((await lastFailure())?.reason).toBe("malformed");
  });
});
