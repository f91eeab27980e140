import "server-only";
import { recordAudit } from "@cxr/db";
import { isRole } from "@cxr/domain";
import { type AuthOptions, type Profile } from "next-auth";
import { type OAuthConfig } from "next-auth/providers/oauth";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "~/env";
import { getDb } from "~/server/db";
import { clientAddress } from "./address";
import { authorizeCredentials } from "./credentials";
import { authorizeOidc } from "./oidc";

export const OIDC_PROVIDER_ID = "oidc";

function oidcProvider(config: NonNullable<ReturnType<typeof env>["oidc"]>): OAuthConfig<Profile> {
  return {
    id: OIDC_PROVIDER_ID,
    name: config.name,
    type: "oauth",
    wellKnown: `${config.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    authorization: { params: { scope: "openid email profile" } },
    idToken: true,
    checks: ["pkce", "state"],
    profile: (profile) => ({
      id: profile.sub ?? "",
      name: profile.name ?? profile.email ?? "",
      email: profile.email,
    }),
  };
}

let cached: AuthOptions | undefined;

/** Built on first use, since it needs the validated environment (absent during `next build`). */
export function authOptions(): AuthOptions {
  if (cached) return cached;
  const e = env();
  const providers: AuthOptions["providers"] = [
    CredentialsProvider({
      id: "credentials",
      name: "E-mail and password",
      credentials: {
        email: { label: "E-mail", type: "email" },
        password: { label: "Password", type: "password" },
      },
      authorize: (credentials, req) =>
        authorizeCredentials(getDb(), credentials, { address: clientAddress(req.headers) }),
    }),
  ];
  if (e.oidc) providers.push(oidcProvider(e.oidc));

  cached = {
    secret: e.NEXTAUTH_SECRET,
    providers,
    // JWT sessions: no session table, and the proxy can check roles without a database round trip.
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/signin", error: "/signin" },
    callbacks: {
      async signIn({ account, profile }) {
        if (account?.provider !== OIDC_PROVIDER_ID) return true;
        if (!e.oidc) return false;
        // the ID token's claims (iss, sub, email, email_verified), as the provider signed them
        const user = await authorizeOidc(getDb(), profile, {
          issuer: e.oidc.issuer,
          emailDomains: e.oidc.emailDomains,
        });
        return user !== null;
      },
      async jwt({ token, user, account }) {
        if (!user || !account) return token;
        if (account.provider === OIDC_PROVIDER_ID) {
          // the provider's profile carries its own ids; the account is found through the stored `sub`
          const dbUser = await getDb().user.findUnique({ where: { oidcSubject: account.providerAccountId } });
          if (!dbUser) return token;
          return { ...token, uid: dbUser.id, role: dbUser.role, name: dbUser.name, email: dbUser.email };
        }
        return { ...token, uid: user.id, role: user.role, name: user.name, email: user.email };
      },
      session({ session, token }) {
        if (!token.uid || !isRole(token.role)) return session;
        session.user = { id: token.uid, name: token.name ?? "", email: token.email ?? "", role: token.role };
        return session;
      },
    },
    events: {
      async signOut({ token }) {
        if (!token.uid) return;
        await recordAudit(getDb(), {
          actorId: token.uid,
          actorRole: token.role ?? null,
          action: "user.signed_out",
          entityType: "User",
          entityId: token.uid,
        });
      },
    },
  };
  return cached;
}
