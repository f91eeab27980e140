import { expect, type Page } from "@playwright/test";
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
