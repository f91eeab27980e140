/** next-auth's error codes (from the URL or signIn's result) as sentences a person can act on. */
export const WRONG_CREDENTIALS = "Wrong e-mail or password.";

/** The code a rate-limited sign-in fails with (next-auth passes the error's message on as the code). */
export const tooManyAttemptsCode = (minutes: number) => `TooManyAttempts:${minutes}`;

export function tooManyAttemptsMessage(minutes: number): string {
  return `Too many attempts: try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`;
}

export function signInErrorMessage(code: string | null | undefined): string | null {
  const tooMany = /^TooManyAttempts:(\d{1,4})$/.exec(code ?? "");
  if (tooMany) return tooManyAttemptsMessage(Number(tooMany[1]));
  switch (code) {
    case null:
    case undefined:
    case "":
      return null;
    case "CredentialsSignin":
      return WRONG_CREDENTIALS;
    case "AccessDenied":
      return "This account may not sign in here. Ask an administrator to create or re-activate it.";
    case "SessionRequired":
      return "Please sign in to continue.";
    case "OAuthSignin":
    case "OAuthCallback":
    case "OAuthAccountNotLinked":
    case "Callback":
      return "Single sign-on did not complete. Try again, or sign in with your e-mail and password.";
    default:
      return "Sign-in failed. Try again.";
  }
}
