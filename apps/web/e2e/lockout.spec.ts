// The sign-in rate limit as a person meets it: repeated wrong passwords lock the account with a message that
// says how long, and an administrator lifts the lockout from the admin page so the account signs in at once.
import { expect, test } from "@playwright/test";
import { type Db } from "@cxr/db";
import { hashPassword } from "@cxr/auth";
import { account } from "./fixtures";
import { stackHandles } from "./review-stack";
import { signIn, signInAs } from "./session";

let db: Db;
const email = `locked-${Date.now()}@cxr.local`;
const password = "e2e-lockout-password";

test.beforeAll(async () => {
  db = (await stackHandles()).db;
  // an account of its own, so a failure here cannot lock out the other tests' accounts
  await db.user.create({
    data: { email, name: "Lou Lockout", role: "RADIOLOGIST", passwordHash: await hashPassword(password) },
  });
});

test.afterAll(async () => {
  await db?.$disconnect();
});

test("an admin lifts a sign-in lockout and the account signs in again", async ({ page }, testInfo) => {
  // seven sign-ins with Argon2id checks and two page loads: more than the default on a loaded machine
  test.setTimeout(120_000);
  const alert = page.getByRole("alert").filter({ hasText: /\S/ });
  await page.goto("/signin");
  for (let i = 1; i < 5; i++) {
    await signIn(page, email, `wrong-${i}`);
    await expect(alert).toHaveText("Wrong e-mail or password.");
  }
  await signIn(page, email, "wrong-5");
  await expect(alert).toHaveText("Too many attempts: try again in 1 minute.");
  // locked: the right password does not open it either
  await signIn(page, email, password);
  await expect(alert).toHaveText("Too many attempts: try again in 1 minute.");
  await expect(page).toHaveURL(/\/signin/);
  await page.screenshot({ path: testInfo.outputPath("signin-locked.png") });

  await signInAs(page, account("ADMIN"));
  const lockouts = page.getByRole("table", { name: "Sign-in lockouts" });
  const row = lockouts.getByRole("row").filter({ hasText: email });
  await expect(row).toContainText("Lou Lockout");
  await expect(row).toContainText("Account");
  await page.screenshot({ path: testInfo.outputPath("admin-lockouts.png"), fullPage: true });
  await row.getByRole("button", { name: "Lift lockout" }).click();
  await expect(row).toHaveCount(0);
  const lifted = await db.auditEvent.findFirst({
    where: { action: "sign_in.lockout_lifted" },
    orderBy: { id: "desc" },
  });
  expect(lifted?.before).toMatchObject({ kind: "ACCOUNT", subject: email });

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await signIn(page, email, password);
  await expect(page).toHaveURL("/worklist");
});
