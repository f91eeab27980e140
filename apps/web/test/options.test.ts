import { type Session } from "next-auth";
import { type JWT } from "next-auth/jwt";
import { beforeAll, describe, expect, it } from "vitest";
import { stubAppEnv } from "./env";

// env() and authOptions() read the environment once, on first use: set it before importing them
const sso = { issuer: "https://sso.hospital.example/realms/radiology/", clientId: "cxr-review" };
beforeAll(() =>
  stubAppEnv({ OIDC_ISSUER: sso.issuer, OIDC_CLIENT_ID: sso.clientId, OIDC_CLIENT_SECRET: "client-secret" }),
);

describe("env", () => {
  it("applies defaults and groups the SSO settings", async () => {
    const { env } = await import("~/env");
    expect(env()).toMatchObject({
      INFERENCE_URL: "http://127.0.0.1:4000",
      oidc: { ...sso, name: "Hospital SSO" },
    });
  });
});

describe("authOptions", () => {
  it("adds the OIDC provider when configured, with the issuer's discovery document", async () => {
    const { authOptions } = await import("~/server/auth/options");
    const options = authOptions();
    expect(options.providers.map((p) => p.id)).toEqual(["credentials", "oidc"]);
    const oidc = options.providers[1] as { wellKnown?: string; name: string };
    expect(oidc.wellKnown).toBe(
      "https://sso.hospital.example/realms/radiology/.well-known/openid-configuration",
    );
    expect(oidc.name).toBe("Hospital SSO");
    expect(options.pages).toEqual({ signIn: "/signin", error: "/signin" });
  });

  it("carries id, name, e-mail and role from the credentials sign-in into the session", async () => {
    const { authOptions } = await import("~/server/auth/options");
    const { jwt, session } = authOptions().callbacks!;
    const user = { id: "u1", name: "Rosa", email: "rosa@cxr.local", role: "RADIOLOGIST" as const };
    const token = (await jwt!({
      token: { sub: "u1" },
      user,
      account: { provider: "credentials", type: "credentials", providerAccountId: "u1" },
    })) as JWT;
    expect(token).toMatchObject({ uid: "u1", role: "RADIOLOGIST", name: "Rosa", email: "rosa@cxr.local" });
    const result = (await session!({
      session: { expires: "2099-01-01T00:00:00Z" } as Session,
      token,
      user: undefined as never,
      newSession: undefined,
      trigger: "update",
    })) as Session;
    expect(result.user).toEqual(user);
  });
});
