// Re-scoring after a promotion, in real Chromium against the real stack (real engine, real PostgreSQL): an admin
// trains a model from scratch and promotes it with a reason; once the version's page says every unreviewed image
// is scored, a radiologist's reading queue shows that version's predictions, its label beside each.
import { expect, test } from "@playwright/test";
import { type Db } from "@cxr/db";
import { account } from "./fixtures";
import { signInAs } from "./session";
import { promote, startRun, trainingStack, watchRun } from "./training-flow";

let db: Db;
/** the version the admin promotes */
let promoted: { id: string; label: string; number: number } | undefined;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  // no champion before: this flow's model becomes the champion
  db = await trainingStack({ labelledPerClass: 6, unlabelled: 6, tag: "e2e-rescoring" });
});
test.afterAll(async () => {
  await db?.$disconnect();
});

test("an admin promotes a new version and watches the re-scoring finish", async ({ page }) => {
  test.setTimeout(600_000);
  await signInAs(page, account("ADMIN"));
  await startRun(page, "FROM_SCRATCH", 2, /Starts from scratch/);
  await watchRun(page);
  await page.getByTestId("run-version").click();
  await expect(page.getByTestId("model-status")).toContainText("candidate");
  await promote(page, "re-scoring check");
  const version = await db.modelVersion.findFirstOrThrow({
    where: { status: "CHAMPION", labelSet: { name: "cxr-4class" } },
  });
  // the service's names carry their number ("cxr-4class v3 (compact)"): the queue shows them as they are
  expect(version.name).toContain(`v${version.version}`);
  promoted = { id: version.id, label: version.name, number: version.version };
  // done when every unreviewed image has this version's prediction (the page polls the service's progress)
  await expect(page.getByTestId("rescore-progress")).toContainText(
    new RegExp(`(\\d+) of \\1 unreviewed images scored by v${version.version}; the reading queues show`),
    { timeout: 240_000 },
  );
  await page.screenshot({ path: "test-results/rescoring-done.png", fullPage: true });
});

test("a radiologist's reading queue shows the new version's predictions", async ({ page }) => {
  test.setTimeout(120_000);
  expect(promoted, "the admin's promotion ran first").toBeDefined();
  const { id, label, number } = promoted!;
  await signInAs(page, account("RADIOLOGIST"));
  await page.goto(`/review?model=${id}`);
  const entries = page.getByTestId("queue").getByRole("button");
  await expect(entries.first()).toBeVisible({ timeout: 30_000 });
  // every entry: a predicted class with its confidence, and the version that made it
  const texts = await entries.allTextContents();
  expect(texts.length).toBeGreaterThan(0);
  for (const text of texts) {
    expect(text).toMatch(/\d+%/);
    expect(text).toContain(label);
    expect(text).not.toContain(`${label} v${number}`);
  }
  const stored = await db.prediction.count({ where: { modelVersionId: id } });
  expect(stored).toBeGreaterThanOrEqual(texts.length);
  // the first case painted, so the screenshot shows the image beside the queue
  await expect(page.getByTestId("viewer")).toHaveAttribute("data-painted-case", /.+/, { timeout: 30_000 });
  await page.screenshot({ path: "test-results/rescoring-queue.png", fullPage: true });
});
