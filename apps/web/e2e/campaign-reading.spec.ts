// A blinded campaign read by a radiologist and an annotator (2 reads per image, majority rule): both read their
// cases in the same workspace (the annotator from /tasks, drawing a region), the image they agree on gets its
// consensus at once, the one they disagree on reaches the adjudicator, who decides; the review screen then shows
// that consensus; the admin's campaign page shows progress, kappa and the consensus, and the next training preview
// counts the two consensus labels. The campaign is made in the set-up with createAssignments (campaign-admin.spec
// creates one through the form).
import { expect, test, type Browser, type Page } from "@playwright/test";
import { type Db } from "@cxr/db";
import { createAssignments } from "@cxr/db/assignments";
import { createReviewFixture, type ReviewFixture } from "../test/review-fixtures";
import { account } from "./fixtures";
import { stackHandles } from "./review-stack";
import { drawBox, viewer } from "./campaign-steps";
import { signInAs } from "./session";

let db: Db;
let fx: ReviewFixture;
let campaignId: string;

/** The campaign of this file: its two images assigned to both readers, the radiologist also adjudicating. */
test.beforeAll(async () => {
  const stack = await stackHandles();
  ({ db } = stack);
  const tag = `e2e-campread-${Date.now()}`;
  fx = await createReviewFixture(db, stack.storage, { count: 2, size: 256, tag });
  const [rosa, ari, ada] = await Promise.all(
    (["RADIOLOGIST", "ANNOTATOR", "ADMIN"] as const).map((r) =>
      db.user.findUniqueOrThrow({ where: { email: account(r).email } }),
    ),
  );
  // blinded, two reads per image, majority rule, ROIs compared at IoU 0.5
  const campaign = await db.campaign.create({
    data: {
      name: `Reading e2e ${Date.now()}`,
      createdById: ada!.id,
      labelSetId: fx.labelSetId,
      modelVersionId: fx.modelVersionId,
      ...{ status: "ACTIVE", blinded: true, readsPerImage: 2, task: "CLASSIFY_ROI" },
      ...{ consensusRule: "MAJORITY", iouThreshold: 0.5 },
    },
  });
  campaignId = campaign.id;
  await db.campaignMember.createMany({
    data: [
      { campaignId, userId: rosa!.id, role: "READER" },
      { campaignId, userId: ari!.id, role: "READER" },
      { campaignId, userId: rosa!.id, role: "ADJUDICATOR" },
    ],
  });
  await createAssignments(db, { campaignId, imageIds: fx.imageIds, userIds: [rosa!.id, ari!.id] });
});

test.afterAll(async () => {
  // the other tests expect the demo users without open campaigns
  if (campaignId) await db.campaign.update({ where: { id: campaignId }, data: { status: "CLOSED" } });
  await db?.$disconnect();
});

async function as(browser: Browser, role: "RADIOLOGIST" | "ANNOTATOR" | "ADMIN") {
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, account(role));
  return page;
}

/** The training preview's consensus images per class of the label set (from the "By source" column). */
async function consensusInPreview(page: Page): Promise<Record<string, number>> {
  await page.goto("/training");
  const preview = page.getByTestId("training-preview");
  await expect(preview.getByRole("row").nth(1)).toBeVisible();
  const out: Record<string, number> = {};
  for (const row of await preview.locator("tbody tr").all()) {
    const name = (await row.locator("th").textContent())?.trim() ?? "";
    const bySource = (await row.locator("td").nth(1).textContent()) ?? "";
    out[name] = Number(/consensus: (\d+) img/.exec(bySource)?.[1] ?? 0);
  }
  return out;
}

test("two readers, a consensus, a disagreement adjudicated", async ({ browser }, testInfo) => {
  test.setTimeout(240_000);
  const [agreed, disputed] = [fx.imageIds[0]!, fx.imageIds[1]!];
  const readsOf = (imageId: string) => db.read.count({ where: { campaignId, imageId } });

  // the admin's training preview before anyone reads (the label set of the fixture: cxr-4class)
  const ada = await as(browser, "ADMIN");
  const before = await consensusInPreview(ada);

  // the radiologist: pneumonia with a region on the first, COVID-19 on the second
  const rosa = await as(browser, "RADIOLOGIST");
  await rosa.goto("/review");
  await expect(viewer(rosa)).toHaveAttribute("data-painted-case", agreed);
  await expect(rosa.getByTestId("blinded")).toBeVisible();
  await drawBox(rosa, [0.3, 0.3, 0.6, 0.6]);
  await rosa.keyboard.press("2");
  await rosa.keyboard.press("Enter");
  await expect(viewer(rosa)).toHaveAttribute("data-painted-case", disputed);
  await rosa.keyboard.press("3");
  await rosa.keyboard.press("Enter");
  await expect.poll(() => readsOf(disputed)).toBe(1);

  // the annotator, from /tasks: the same workspace, their assignments only, blinded
  const ari = await as(browser, "ANNOTATOR");
  await expect(ari.getByRole("table", { name: "Your campaigns" })).toContainText(
    "label and draw regions (blinded)",
  );
  await ari.screenshot({ path: testInfo.outputPath("annotator-tasks.png") });
  await ari.getByRole("link", { name: "Start annotating" }).click();
  await expect(ari).toHaveURL(/\/tasks\/read/);
  await expect(viewer(ari)).toHaveAttribute("data-painted-case", agreed);
  await expect(ari.getByTestId("blinded")).toBeVisible();
  await expect(ari.getByTestId("model-version")).toHaveCount(0);
  await expect(ari.getByTestId("queue-scope").locator("option", { hasText: "Unassigned" })).toHaveCount(0);
  await drawBox(ari, [0.32, 0.3, 0.6, 0.62]);
  await expect(viewer(ari)).toHaveAttribute("data-rois", "1");
  await ari.keyboard.press("2");
  await ari.screenshot({ path: testInfo.outputPath("annotator-reading.png") });
  await ari.keyboard.press("Enter");
  await expect(viewer(ari)).toHaveAttribute("data-painted-case", disputed);
  await drawBox(ari, [0.55, 0.35, 0.75, 0.6]);
  await ari.keyboard.press("2");
  await ari.keyboard.press("Enter");

  // agreement (same label, regions overlapping above the IoU threshold): consensus at once
  await expect
    .poll(() => db.consensus.findFirst({ where: { imageId: agreed, campaignId } }))
    .toMatchObject({ method: "UNANIMOUS", classId: fx.classIds["pneumonia"] });
  await expect
    .poll(() => db.adjudication.findFirst({ where: { imageId: disputed, campaignId } }))
    .toMatchObject({ status: "PENDING", reason: "DISAGREEMENT" });
  expect(await db.annotation.count({ where: { read: { campaignId, imageId: agreed } } })).toBe(2);

  // the adjudicator sees the reads side by side and decides
  await rosa.getByRole("link", { name: "Adjudication" }).click();
  await expect(rosa).toHaveURL(/\/adjudication/);
  await expect(rosa.getByTestId("adjudication-queue").locator("li")).toHaveCount(1);
  await expect(rosa.getByTestId("adjudication-read")).toHaveCount(2);
  await expect(rosa.getByTestId("adjudication-read").nth(0)).toContainText("COVID-19");
  await expect(rosa.getByTestId("adjudication-read").nth(1)).toContainText("Pneumonia");
  // the annotator's region over the image, in their colour (the second reader's)
  await expect(rosa.getByTestId("read-overlay").locator("rect")).toHaveCount(1);
  await expect(rosa.getByTestId("read-overlay").locator("rect")).toHaveAttribute("stroke", "#3cb44b");
  await rosa.screenshot({ path: testInfo.outputPath("adjudication.png"), fullPage: true });
  await rosa.getByRole("radio", { name: "COVID-19" }).check();
  await rosa.getByLabel("Rationale").fill("Bilateral peripheral ground-glass opacities.");
  await rosa.getByRole("button", { name: "Decide" }).click();
  await expect(rosa.getByText("Nothing to adjudicate")).toBeVisible();
  await expect
    .poll(() => db.consensus.findFirst({ where: { imageId: disputed, campaignId } }))
    .toMatchObject({ method: "ADJUDICATED", classId: fx.classIds["covid-19"], agreement: 0.5 });

  // the review screen shows the consensus
  await rosa.goto(`/review?model=${fx.modelVersionId}&case=${disputed}`);
  await expect(viewer(rosa)).toHaveAttribute("data-painted-case", disputed);
  await expect(rosa.getByTestId("consensus")).toContainText("COVID-19");
  await expect(rosa.getByTestId("consensus")).toContainText("adjudicated");
  await rosa.screenshot({ path: testInfo.outputPath("review-consensus.png") });

  // the admin's campaign page: every image read twice, the pair's kappa, the consensus of each image
  await ada.goto(`/campaigns/${campaignId}`);
  const perImage = ada.getByRole("table", { name: "Progress per image" });
  await expect(perImage.getByRole("row")).toHaveCount(3);
  for (const row of await perImage.getByRole("row").all())
    if ((await row.locator("td").count()) > 0) await expect(row).toContainText("2 / 2");
  const agreement = ada.locator("section#agreement");
  await expect(agreement.getByTestId("fleiss")).toContainText("over 2 readers and 2 images");
  await expect(agreement.getByRole("table", { name: "Pairs of readers" }).getByRole("row")).toHaveCount(2);
  // the most disputed image first, with the adjudicated consensus; then the agreed one with its own
  const disputes = agreement.getByRole("table", { name: "The images with the most disagreement" });
  await expect(disputes.getByRole("row").nth(1)).toContainText("covid-19");
  await expect(disputes.getByRole("row").nth(1)).toContainText("0.50");
  await expect(disputes.getByRole("row").nth(2)).toContainText("pneumonia");
  await ada.screenshot({ path: testInfo.outputPath("campaign-agreement.png"), fullPage: true });

  // the next training preview counts the two consensus labels (one pneumonia, one COVID-19)
  const after = await consensusInPreview(ada);
  expect(after["Pneumonia"]).toBe((before["Pneumonia"] ?? 0) + 1);
  expect(after["COVID-19"]).toBe((before["COVID-19"] ?? 0) + 1);
  await ada.screenshot({ path: testInfo.outputPath("training-preview-consensus.png"), fullPage: true });
});
