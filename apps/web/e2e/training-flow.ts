// The training page's steps as an admin takes them (start a run after its preview, watch it end, promote the
// version), shared by the training and re-scoring specs.
import { expect, type Page } from "@playwright/test";
import { type Db } from "@cxr/db";
import { stackHandles } from "./review-stack";
import { importTrainingImages } from "./training-fixtures";

/**
 * The e2e stack's database with this flow's images imported and no cxr-4class champion: one another spec left in
 * the shared database (the Models pages' fixture versions, which have no weights) is retired first.
 */
export async function trainingStack(images: Parameters<typeof importTrainingImages>[1]): Promise<Db> {
  const stack = await stackHandles();
  await stack.db.modelVersion.updateMany({
    where: { status: "CHAMPION", labelSet: { name: "cxr-4class" } },
    data: { status: "RETIRED" },
  });
  await importTrainingImages(stack, images);
  return stack.db;
}

/** Fills the start form, checks the preview and starts; the page moves to the new run. */
export async function startRun(page: Page, mode: string, epochs: number, expectStart: RegExp) {
  await page.goto("/training");
  const form = page.getByRole("form", { name: "Start a training run" });
  await form.getByLabel("Mode").selectOption(mode);
  await form.getByLabel("Epochs").fill(String(epochs));
  await form.getByLabel("Batch size").fill("8");
  const preview = page.getByTestId("training-preview");
  await expect(preview.getByTestId("preview-start")).toHaveText(expectStart);
  await expect(preview).toContainText(/covid-19/i);
  await expect(preview.getByRole("alert")).toHaveCount(0);
  await form.getByRole("button", { name: "Start training" }).click();
  await page.waitForURL(/\/training\/[^/]+$/);
}

/** Watches the run page until the run ends; returns the epoch counts it showed on the way. */
export async function watchRun(page: Page): Promise<string[]> {
  const seen: string[] = [];
  await expect
    .poll(
      async () => {
        const epoch = await page.getByTestId("run-epoch").textContent();
        if (epoch && seen.at(-1) !== epoch) seen.push(epoch);
        return page.getByTestId("run-status").textContent();
      },
      { timeout: 240_000, intervals: [150] },
    )
    .toMatch(/succeeded|failed|interrupted|cancelled/);
  await expect(page.getByTestId("run-status")).toContainText("succeeded");
  // each poll reads the epoch before the status: the render that ended the run can land between the two reads,
  // so the epoch the finished run shows is read once more (CI saw "4 / 6" last while the page showed 6 / 6)
  const final = await page.getByTestId("run-epoch").textContent();
  if (final && seen.at(-1) !== final) seen.push(final);
  return seen;
}

/** Promotes the version on the page with a reason (and the typed confirmation past a failed gate). */
export async function promote(page: Page, reason: string) {
  await page.getByRole("button", { name: "Promote" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Reason").fill(reason);
  // a candidate that did not pass the gate needs its version typed (the override is audited)
  const confirmLabel = dialog.getByText(/^Type v\d+ to confirm$/);
  if ((await confirmLabel.count()) > 0) {
    const text = (await confirmLabel.textContent()) ?? "";
    await dialog.getByLabel(text).fill(/v\d+/.exec(text)![0]);
  }
  await dialog.getByRole("button", { name: /^Promote v/ }).click();
  await expect(page.getByTestId("model-status")).toContainText("champion", { timeout: 30_000 });
}
