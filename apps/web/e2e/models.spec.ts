// The Models pages in real Chromium: an admin reads a champion's page (curves, confusion matrix, ROC) and rejects
// a candidate with a reason; a radiologist sees the pages without the controls and the API refuses the change.
import { expect, test } from "@playwright/test";
import { type Db } from "@cxr/db";
import { account } from "./fixtures";
import { registerVersion } from "./model-fixtures";
import { stackHandles } from "./review-stack";
import { signInAs } from "./session";

let db: Db;
let championId = "";
let candidateId = "";

test.beforeAll(async () => {
  db = (await stackHandles()).db;
  const champion = await registerVersion(db, {
    status: "CHAMPION",
    quality: 0.82,
    gatePassed: true,
    tag: "e2e-champ",
  });
  championId = champion.id;
  candidateId = (
    await registerVersion(db, {
      status: "CANDIDATE",
      quality: 0.74,
      gatePassed: false,
      parentId: championId,
      tag: "e2e-cand",
    })
  ).id;
});
test.afterAll(async () => {
  await db?.$disconnect();
});

test("an admin opens the champion's page and rejects a candidate with a reason", async ({ page }) => {
  await signInAs(page, account("ADMIN"));
  await page.getByRole("link", { name: "Models" }).click();
  await expect(page.getByRole("heading", { name: "Models" })).toBeVisible();
  await expect(page.getByText("Label set cxr-4class")).toBeVisible();
  await page.screenshot({ path: "test-results/models-list.png", fullPage: true });

  await page.goto(`/models/${championId}`);
  await expect(page.getByTestId("confusion-matrix")).toBeVisible();
  // a count opens those test cases in the viewer, as the audit page's cells do
  const cell = page.getByTestId("confusion-matrix").getByRole("link").first();
  await expect(cell).toHaveAttribute(
    "href",
    new RegExp(`^/review\\?audit=cell&model=${championId}&scope=test&`),
  );
  await expect(page.getByTestId("roc-chart").getByRole("application")).toBeVisible();
  await expect(page.getByTestId("roc-chart").locator(".recharts-line")).toHaveCount(3);
  await expect(page.getByTestId("training-chart").locator(".recharts-line").first()).toBeVisible();
  await expect(page.getByTestId("reliability-chart")).toBeVisible();
  await page.screenshot({ path: "test-results/models-champion.png", fullPage: true });

  await page.goto(`/models/${candidateId}`);
  await expect(page.getByTestId("model-status")).toContainText("candidate");
  await expect(page.getByTestId("gate-table")).toContainText("failed");
  await page.getByRole("button", { name: "Reject" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Reason").fill("worse than the champion on macro F1");
  await dialog.getByRole("button", { name: /^Reject v/ }).click();
  await expect(page.getByTestId("model-status")).toContainText("rejected");
  await page.screenshot({ path: "test-results/models-rejected.png", fullPage: true });
  const audit = await db.auditEvent.findFirstOrThrow({
    where: { action: "model.rejected", entityId: candidateId },
  });
  expect(audit.reason).toBe("worse than the champion on macro F1");
});

test("a radiologist sees the pages without controls, and the API refuses the change", async ({ page }) => {
  await signInAs(page, account("RADIOLOGIST"));
  await page.getByRole("link", { name: "Models" }).click();
  await expect(page.getByText("Label set cxr-4class")).toBeVisible();
  await page.goto(`/models/${championId}`);
  await expect(page.getByTestId("confusion-matrix")).toBeVisible();
  // a count opens those test cases in the viewer, as the audit page's cells do
  const cell = page.getByTestId("confusion-matrix").getByRole("link").first();
  await expect(cell).toHaveAttribute(
    "href",
    new RegExp(`^/review\\?audit=cell&model=${championId}&scope=test&`),
  );
  await expect(page.getByRole("button", { name: /Promote|Reject|Roll back/ })).toHaveCount(0);
  const res = await page.request.post("/api/trpc/models.rollback", {
    data: { json: { id: championId, reason: "a radiologist tries" } },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(res.status()).toBe(403);
});
