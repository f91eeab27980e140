// A reader study in the browser: an admin creates it (2 readers, washout 0 days, sequential), each reader reads
// every case unaided (blinded, with a 0-100 rating) and then aided (the model's prediction with its version), and
// the campaign page shows each reader's AUC unaided vs aided and the MRMC p-value.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { type Db } from "@cxr/db";
import { createReviewFixture, type ReviewFixture } from "../test/review-fixtures";
import { account } from "./fixtures";
import { stackHandles } from "./review-stack";
import { signInAs } from "./session";

const tag = `e2e-readerstudy-${Date.now().toString(36)}`;
let db: Db;
let fx: ReviewFixture;
let jobId: string;
let campaignId: string | undefined;

/**
 * Per reader, per phase, per case (the fixture's order): the label (c COVID-19, n normal) and the rating. Cases 0-1
 * are COVID-19, 2-3 normal (imported labels). AUC: Rosa 0.75 unaided, 1 aided; Ari 0.75 unaided, 0.875 aided.
 */
const plan = {
  RADIOLOGIST: {
    UNAIDED: [
      ["c", 70],
      ["n", 40],
      ["c", 60],
      ["n", 20],
    ],
    AIDED: [
      ["c", 90],
      ["c", 80],
      ["n", 30],
      ["n", 10],
    ],
  },
  ANNOTATOR: {
    UNAIDED: [
      ["c", 60],
      ["n", 30],
      ["n", 40],
      ["n", 10],
    ],
    AIDED: [
      ["c", 85],
      ["c", 55],
      ["n", 55],
      ["n", 20],
    ],
  },
} as const;

test.beforeAll(async () => {
  const stack = await stackHandles();
  ({ db } = stack);
  fx = await createReviewFixture(db, stack.storage, { count: 4, size: 128, tag });
  // an import job of exactly these cases, so the form's selection takes them and nothing else
  const job = await db.importJob.create({
    data: { format: "folder", sourceRef: tag, fingerprint: tag, status: "SUCCEEDED", imported: 4 },
  });
  jobId = job.id;
  await db.importItem.createMany({
    data: fx.imageIds.map((id, n) => ({
      jobId,
      key: `${n}.png`,
      status: "IMPORTED" as const,
      imageIds: [id],
    })),
  });
  // the truth: the data set's own labels
  await db.read.createMany({
    data: fx.imageIds.map((imageId, n) => ({
      imageId,
      labelSetId: fx.labelSetId,
      classId: fx.classIds[n < 2 ? "covid-19" : "normal"]!,
      source: "IMPORT" as const,
    })),
  });
});

test.afterAll(async () => {
  // the other tests expect the demo users without open campaigns
  if (campaignId) await db.campaign.update({ where: { id: campaignId }, data: { status: "CLOSED" } });
  await db?.$disconnect();
});

async function as(browser: Browser, role: "RADIOLOGIST" | "ANNOTATOR") {
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, account(role));
  return page;
}

/** Reads the reader's 8 reads, one per page load: the queue offers a case's aided read once its unaided is in. */
async function readAll(page: Page, role: "RADIOLOGIST" | "ANNOTATOR", start: string) {
  const seen: string[] = [];
  for (let i = 0; i < 8; i++) {
    await page.goto(start);
    const viewer = page.getByTestId("viewer");
    await expect(viewer).toHaveAttribute("data-painted-case", /.+/);
    const imageId = (await viewer.getAttribute("data-painted-case"))!;
    const n = fx.imageIds.indexOf(imageId);
    expect(n).toBeGreaterThanOrEqual(0);
    // the reader learns which read this is before looking at the case: the banner is on screen without scrolling
    await expect(page.getByTestId("study-phase")).toBeInViewport();
    if (i === 0) await page.screenshot({ path: test.info().outputPath(`${role.toLowerCase()}-phase.png`) });
    const phase = (await page.getByTestId("study-phase").getAttribute("data-phase")) as "UNAIDED" | "AIDED";
    // unaided first, always (sequential design)
    expect(seen.includes(`${imageId}/UNAIDED`)).toBe(phase === "AIDED");
    if (phase === "UNAIDED") {
      await expect(page.getByTestId("blinded")).toBeVisible();
      await expect(page.getByTestId("model-version")).toHaveCount(0);
    } else {
      await expect(page.getByTestId("model-version")).toBeVisible();
      await expect(page.getByTestId("toggle-heatmap")).toBeVisible();
    }
    const [label, rating] = plan[role][phase][n]!;
    await page.getByRole("radio", { name: label === "c" ? /COVID-19/ : /Normal/ }).check();
    const submit = page.getByRole("button", { name: /Submit and next/ });
    // the rating is required
    await expect(submit).toBeDisabled();
    await page.getByLabel("Rating that COVID-19 is present, 0-100").fill(String(rating));
    if (i === 0) await page.screenshot({ path: test.info().outputPath(`${role.toLowerCase()}-unaided.png`) });
    if (phase === "AIDED" && !seen.some((s) => s.endsWith("AIDED") && !s.endsWith("UNAIDED")))
      await page.screenshot({ path: test.info().outputPath(`${role.toLowerCase()}-aided.png`) });
    await submit.click();
    await expect
      .poll(() =>
        db.assignment.findFirst({
          where: { campaignId, imageId, phase, user: { email: account(role).email } },
        }),
      )
      .toMatchObject({ status: "DONE" });
    seen.push(`${imageId}/${phase}`);
  }
  expect(new Set(seen).size).toBe(8);
}

test("a reader study: created, read unaided then aided by two readers, its AUCs and MRMC result shown", async ({
  page,
  browser,
}) => {
  test.setTimeout(300_000);
  await signInAs(page, account("ADMIN"));
  await page.goto("/campaigns/new");
  const form = page.getByRole("form", { name: "New campaign" });
  await form.getByLabel("Name", { exact: true }).fill(`Reader study ${tag}`);
  await form.getByLabel("Label set").selectOption(fx.labelSetId);
  await form.getByLabel("Task").selectOption("CLASSIFY");
  await form.getByRole("combobox", { name: "Mode", exact: true }).selectOption("READER_STUDY");
  await form.getByLabel(/Study class/).selectOption("covid-19");
  await form.getByLabel("Washout (days)").fill("0");
  await form.getByLabel("Design").selectOption("SEQUENTIAL");
  await form.getByLabel("Import job").selectOption(jobId);
  await expect(page.getByTestId("selection-count")).toContainText("the campaign takes 4.");
  for (const role of ["RADIOLOGIST", "ANNOTATOR"] as const)
    await form.getByRole("group", { name: "Readers" }).getByLabel(account(role).name).check();
  // every reader reads every case: reads per image follows the readers
  await expect(form.getByLabel("Reads per image")).toHaveValue("2");
  await page.screenshot({ path: test.info().outputPath("reader-study-new.png"), fullPage: true });
  await form.getByRole("button", { name: "Create campaign" }).click();
  // creating 16 assignments on a shared machine can take a while
  await expect(page).toHaveURL(/\/campaigns\/(?!new$)[\w-]+$/, { timeout: 30_000 });
  campaignId = page.url().split("/").pop()!;
  const created = await db.campaign.findUniqueOrThrow({
    where: { id: campaignId },
    include: { assignments: true },
  });
  expect(created).toMatchObject({ mode: "READER_STUDY", washoutDays: 0, studyDesign: "SEQUENTIAL" });
  expect(created.assignments).toHaveLength(16);
  await expect(page.getByTestId("mrmc-missing")).toBeVisible();
  // the model of these cases' predictions (the form has no model choice; the label set has other models)
  await db.campaign.update({ where: { id: campaignId }, data: { modelVersionId: fx.modelVersionId } });

  const rosa = await as(browser, "RADIOLOGIST");
  await readAll(rosa, "RADIOLOGIST", "/review");
  const ari = await as(browser, "ANNOTATOR");
  await readAll(ari, "ANNOTATOR", "/tasks/read");

  await page.reload();
  const section = page.getByTestId("reader-study");
  const table = section.getByRole("table", { name: "Each reader, unaided vs aided" });
  await expect(table.getByRole("row").filter({ hasText: account("RADIOLOGIST").name })).toContainText(
    "0.750",
  );
  await expect(table.getByRole("row").filter({ hasText: account("RADIOLOGIST").name })).toContainText(
    "1.000",
  );
  await expect(table.getByRole("row").filter({ hasText: account("ANNOTATOR").name })).toContainText("0.875");
  await expect(section.getByTestId("mrmc")).toContainText("difference aided − unaided 0.188");
  await expect(section.getByTestId("mrmc-p")).toHaveText(/p = 0\.\d{3}/);
  await expect(section.getByTestId("reader-study-chart").locator(".recharts-bar-rectangle")).toHaveCount(4);
  await section.scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath("reader-study-results.png"), fullPage: true });
});
