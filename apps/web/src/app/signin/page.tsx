import { Card } from "@cxr/ui";
import { type Metadata } from "next";
import { redirect } from "next/navigation";
import { env } from "~/env";
import { roleHome, safeCallbackPath } from "~/lib/roles";
import { getActiveSession } from "~/server/auth/session";
import { OIDC_PROVIDER_ID } from "~/server/auth/options";
import { signInErrorMessage } from "./messages";
import { SignInForm } from "./SignInForm";

export const metadata: Metadata = { title: "Sign in" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const session = await getActiveSession();
  if (session) redirect(roleHome[session.user.role]);

  const params = await searchParams;
  const oidc = env().oidc;
  return (
    <main className="signin">
      <div className="signin__panel">
        <Card>
          <h1 className="signin__title">Sign in to CXR Review</h1>
          <p className="signin__lead">Chest X-ray model review and labelling.</p>
          <SignInForm
            callbackUrl={safeCallbackPath(first(params.callbackUrl)) ?? "/"}
            initialError={signInErrorMessage(first(params.error))}
            sso={oidc ? { id: OIDC_PROVIDER_ID, name: oidc.name } : null}
          />
        </Card>
      </div>
    </main>
  );
}
