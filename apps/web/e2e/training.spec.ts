// Training from the browser in real Chromium against the real stack (real engine, real PostgreSQL): an admin
// trains a first model from scratch and promotes it with a reason, then previews and starts a head-only and a
// fine-tune run from it, watches their epochs arrive live over the web's subscription, opens a candidate,
// compares it with the champion, promotes it and sees the re-scoring progress. A radiologist sees the pages
// without controls, and the API refuses them.
import { expect, test } from "@playwright/test";
import { type Db } from "@cxr/db";
import { account } from "./fixtures";
import { signInAs } from "./session";
import { promote, startRun, trainingStack, watchRun } from "./training-flow";

let db: Db;

test.beforeAll(async () => {
  // 56 images through the ingest path, on a machine others share
  test.setTimeout(180_000);
  // this flow starts with no champion (the preview refuses head-only)
  db = await trainingStack({ labelledPerClass: 12, unlabelled: 8, tag: "e2e-training" });
});
test.afterAll(async () => {
  await db?.$disconnect();
});

test("an admin trains, watches epochs live, compares and promotes, and sees re-scoring", async ({ page }) => {
  test.setTimeout(900_000);
  await signInAs(page, account("ADMIN"));
  await page.getByRole("link", { name: "Training" }).click();
  await expect(page.getByRole("heading", { name: "Training" })).toBeVisible();

  // head-only without a champion is refused in the preview, with the reason, and cannot be started
  const form = page.getByRole("form", { name: "Start a training run" });
  await form.getByLabel("Mode").selectOption("HEAD_ONLY");
  await expect(page.getByTestId("training-preview").getByRole("alert")).toContainText("no compact champion");
  await expect(form.getByRole("button", { name: "Start training" })).toBeDisabled();
  await page.screenshot({ path: "test-results/training-refused.png", fullPage: true });

  // a first model from scratch, promoted by a person
  await startRun(page, "FROM_SCRATCH", 3, /Starts from scratch/);
  // a CNN's epochs take seconds here: each one arrives live on the run's page
  const scratchEpochs = await watchRun(page);
  expect(scratchEpochs.length, `epoch counts seen: ${scratchEpochs.join(", ")}`).toBeGreaterThan(2);
  await page.getByTestId("run-version").click();
  await expect(page.getByTestId("model-status")).toContainText("candidate");
  await promote(page, "first model trained in the browser");

  // head-only on the champion's backbone
  await startRun(page, "HEAD_ONLY", 6, /Starts from the champion v\d+/);
  await expect(page.getByTestId("run-status")).toBeVisible();
  await page.screenshot({ path: "test-results/training-run-live.png", fullPage: true });
  // a head on cached embeddings trains its 6 epochs in about a second: the page may show only the start and the end
  const headEpochs = await watchRun(page);
  expect(headEpochs.at(-1), `epoch counts seen: ${headEpochs.join(", ")}`).toMatch(/^6 \/ 6/);
  // the curves hold the epochs as they arrived (the stream reads the run a few times a second; while training
  // blocks the service's event loop, its epoch writes land in bursts and some are read only once)
  await expect(page.getByTestId("run-epochs-seen")).toHaveText(/^\d+ epochs? recorded$/);
  await expect(page.getByTestId("training-chart").getByRole("application")).toBeVisible();
  await page.screenshot({ path: "test-results/training-run-done.png", fullPage: true });

  // fine-tune from the champion
  await startRun(page, "FULL_FINE_TUNE", 3, /Starts from the champion v\d+/);
  // a short run may end between two reads of the stream: it must end well, the epochs it showed are a bonus
  expect((await watchRun(page)).at(-1)).toBe("3 / 3");

  // the candidate next to the champion it was measured against, then promoted
  await page.getByTestId("run-version").click();
  await expect(page.getByTestId("model-status")).toContainText("candidate");
  await expect(page.getByTestId("gate-table")).toBeVisible();
  await expect(page.getByTestId("lineage")).toContainText("champion");
  await page.screenshot({ path: "test-results/training-candidate.png", fullPage: true });
  await promote(page, "fine-tuned on the newest labels");
  await expect(page.getByTestId("rescore-progress")).toContainText(/of \d+ unreviewed images scored by v\d+/);
  await page.screenshot({ path: "test-results/training-rescore.png", fullPage: true });

  // the runs list names who started each run and links the versions they produced
  await page.goto("/training");
  // a header row and one row per run in the database (this flow's three, and any a rerun on the same stack left)
  const runCount = await db.trainingRun.count();
  expect(runCount).toBeGreaterThanOrEqual(3);
  await expect(page.getByRole("table", { name: /Training runs/ }).getByRole("row")).toHaveCount(runCount + 1);
  await expect(page.getByRole("table", { name: /Training runs/ })).toContainText(account("ADMIN").name);
  const runs = await db.trainingRun.findMany({ where: { status: "SUCCEEDED" } });
  const admin = await db.user.findUniqueOrThrow({ where: { email: account("ADMIN").email } });
  expect(runs.map((r) => r.startedById)).toEqual(runs.map(() => admin.id));
});

test("a radiologist sees runs and the policy without controls, and the API refuses them", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signInAs(page, account("RADIOLOGIST"));
  await page.getByRole("link", { name: "Training" }).click();
  await expect(page.getByRole("heading", { name: "Training" })).toBeVisible();
  await expect(page.getByRole("form", { name: "Start a training run" })).toHaveCount(0);
  const run = await db.trainingRun.findFirst({ orderBy: { queuedAt: "desc" } });
  if (run) {
    await page.goto(`/training/${run.id}`);
    await expect(page.getByTestId("run-status")).toBeVisible();
    await expect(page.getByRole("button", { name: "Cancel run" })).toHaveCount(0);
  }
  await page.goto("/models");
  await expect(page.getByTestId("retraining-policy").first()).toBeVisible();
  await expect(page.getByRole("button", { name: /policy/ })).toHaveCount(0);
  const origin = new URL(page.url()).origin;
  const start = await page.request.post("/api/trpc/training.start", {
    data: { json: { labelSet: "cxr-4class", mode: "FROM_SCRATCH" } },
    headers: { origin },
  });
  expect(start.status()).toBe(403);
  const cancel = await page.request.post("/api/trpc/training.cancel", {
    data: { json: { id: run?.id ?? "no-such-run" } },
    headers: { origin },
  });
  expect(cancel.status()).toBe(403);
});
