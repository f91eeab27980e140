"use client";
import { Alert, Button, FormField } from "@cxr/ui";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { signInErrorMessage } from "./messages";

export interface SignInFormProps {
  /** Where to go after signing in; "/" sends each role to its home. */
  callbackUrl: string;
  initialError: string | null;
  sso: { id: string; name: string } | null;
}

export function SignInForm({ callbackUrl, initialError, sso }: SignInFormProps) {
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    });
    if (!result?.ok || result.error) {
      setError(signInErrorMessage(result?.error ?? "CredentialsSignin"));
      setPending(false);
      return;
    }
    // a full navigation, so the server renders the next page with the new session cookie
    window.location.assign(callbackUrl);
  }

  return (
    <>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {/* method=post: without JavaScript the password must never end up in a URL */}
      <form method="post" onSubmit={onSubmit}>
        <FormField label="E-mail" name="email" type="email" autoComplete="username" required autoFocus />
        <FormField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
        />
        <Button type="submit" loading={pending} className="signin__submit">
          {pending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      {sso ? (
        <>
          <p className="signin__divider">or</p>
          <Button
            variant="secondary"
            className="signin__submit"
            onClick={() => void signIn(sso.id, { callbackUrl })}
          >
            Sign in with {sso.name}
          </Button>
        </>
      ) : null}
    </>
  );
}
