import { expect, test } from "@playwright/test";
import { account, accounts } from "./fixtures";
import { signIn, signInAs } from "./session";

for (const a of accounts) {
  test(`${a.role} signs in and lands on ${a.home} with the role's navigation`, async ({ page }) => {
    await signInAs(page, a);
    await expect(page.getByRole("heading", { level: 1, name: a.heading })).toBeVisible();
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link")).toHaveText([...a.nav]);
    await expect(nav.getByRole("link", { name: a.heading })).toHaveAttribute("aria-current", "page");
    await expect(page.getByTestId("current-user")).toContainText(a.name);
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
    // the footer asks the inference service through system.status
    await expect(page.getByTestId("inference-backend")).not.toBeEmpty();
  });
}

test("the admin page lists the users with their role and last sign-in", async ({ page }) => {
  await signInAs(page, account("ADMIN"));
  const table = page.getByRole("table", { name: "Users" });
  for (const a of accounts)
    await expect(table.getByRole("row").filter({ hasText: a.email })).toContainText(a.name);
  await expect(table.getByRole("row").filter({ hasText: "admin@cxr.local" })).toContainText("UTC");
});

test("a role visiting another role's home is sent to its own; ADMIN may visit all", async ({ page }) => {
  await signInAs(page, account("RADIOLOGIST"));
  await page.goto("/admin");
  await expect(page).toHaveURL("/worklist");
  await page.goto("/tasks");
  await expect(page).toHaveURL("/worklist");

  await page.context().clearCookies();
  await signInAs(page, account("ADMIN"));
  for (const path of ["/worklist", "/tasks", "/admin"]) {
    await page.goto(path);
    await expect(page).toHaveURL(path);
  }
});

test("sign out returns to /signin and protected pages then redirect there", async ({ page }) => {
  await signInAs(page, account("ANNOTATOR"));
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin$/);
  for (const path of ["/tasks", "/worklist", "/admin", "/"]) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/signin(\?|$)/);
  }
});

test("a signed-out visitor returns to the page they asked for after signing in", async ({ page }) => {
  await page.goto("/tasks");
  await expect(page).toHaveURL("/signin?callbackUrl=%2Ftasks");
  const annotator = account("ANNOTATOR");
  await signIn(page, annotator.email, annotator.password);
  await expect(page).toHaveURL("/tasks");
});

test("a wrong password shows the error and stays on /signin", async ({ page }) => {
  await page.goto("/signin");
  await signIn(page, "radiologist@cxr.local", "not-the-password");
  // (Next's route announcer is a second, empty role=alert element)
  await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toHaveText("Wrong e-mail or password.");
  await expect(page).toHaveURL(/\/signin$/);
  await page.goto("/worklist");
  await expect(page).toHaveURL(/\/signin/);
});

test("the API refuses admin.users.list to an ANNOTATOR (403) and to a signed-out caller (401)", async ({
  page,
}) => {
  const signedOut = await page.request.get("/api/trpc/admin.users.list");
  expect(signedOut.status()).toBe(401);

  await signInAs(page, account("ANNOTATOR"));
  const res = await page.request.get("/api/trpc/admin.users.list");
  expect(res.status()).toBe(403);
  const body = await res.text();
  expect(body).toContain("FORBIDDEN");
  expect(body).not.toMatch(/\bat .+\.(js|ts):\d+/); // no stack trace

  await page.context().clearCookies();
  await signInAs(page, account("ADMIN"));
  expect((await page.request.get("/api/trpc/admin.users.list")).status()).toBe(200);
});

test("/api/health answers ok without signing in", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ ok: true, db: "up", inference: "up" });
});
