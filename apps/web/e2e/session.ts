import { expect, request, type APIRequestContext, type Page } from "@playwright/test";
import { type Account } from "./fixtures";

export async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signInAs(page: Page, account: Account) {
  await page.goto("/signin");
  await signIn(page, account.email, account.password);
  await expect(page).toHaveURL(account.home);
}

/**
 * A request context (no page) holding the session cookie of a credentials sign-in through next-auth's own
 * endpoints: the CSRF token from /api/auth/csrf, then /api/auth/callback/credentials. Signed out with null.
 */
export async function apiSession(
  baseURL: string,
  email: string | null,
  password = "",
): Promise<APIRequestContext> {
  const api = await request.newContext({ baseURL });
  if (email === null) return api;
  const { csrfToken } = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await api.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password, json: "true" },
  });
  expect(res.status(), `sign-in of ${email}`).toBeLessThan(400);
  const session = (await (await api.get("/api/auth/session")).json()) as { user?: { email?: string } };
  expect(session.user?.email).toBe(email);
  return api;
}
