// The administrator's path to a campaign in the browser: two new accounts (a radiologist and an annotator,
// each with a password shown once), a new label set, a blinded campaign with 2 reads per image for them from a
// selection with its live count, its page with progress per reader and per image, paused and resumed, and an
// adjudicator added while it runs; then both read their cases (the annotator from /tasks), the disagreement reaches
// the adjudicator, who decides; the campaign page shows progress, kappa and the consensus, and the next training
// preview counts the consensus labels it may train on.
import { expect, test, type Page } from "@playwright/test";
import { type Db } from "@cxr/db";
import { createReviewFixture } from "../test/review-fixtures";
import { account } from "./fixtures";
import { stackHandles } from "./review-stack";
import { drawBox, signedInPage, viewer } from "./campaign-steps";
import { signInAs } from "./session";

const tag = Date.now().toString(36);
let db: Db;

test.beforeAll(async () => {
  const handles = await stackHandles();
  db = handles.db;
  // 4 READY images of this run (the selection below takes 4 synthetic ones)
  await createReviewFixture(db, handles.storage, { count: 4, size: 64, tag: `campaign-admin-${tag}` });
});
test.afterAll(() => db.$disconnect());

test("an admin creates two users and a label set, then a blinded campaign for them, and pauses and resumes it", async ({
  page,
  browser,
}) => {
  // many steps on a shared 2-core machine
  test.setTimeout(480_000);
  await signInAs(page, account("ADMIN"));

  // users: a radiologist and an annotator, each password shown once
  const passwords: Record<string, string> = {};
  const people = [
    { name: `Rita Reader ${tag}`, email: `rita-${tag}@cxr.local`, role: "RADIOLOGIST" },
    { name: `Anna Annotator ${tag}`, email: `anna-${tag}@cxr.local`, role: "ANNOTATOR" },
  ];
  const newUser = page.getByRole("form", { name: "New user" });
  for (const p of people) {
    await newUser.getByLabel("Name").fill(p.name);
    await newUser.getByLabel("E-mail").fill(p.email);
    await newUser.getByLabel("Role").selectOption(p.role);
    await newUser.getByRole("button", { name: "Create user" }).click();
    const shown = page.getByTestId("generated-password");
    await expect(shown).toContainText(p.email);
    passwords[p.email] = (await shown.locator("code").textContent()) ?? "";
    expect(passwords[p.email]).toMatch(/^[\w-]{24}$/);
    // the list's refetch can be slow on the stack's first requests (a fresh server on a busy machine)
    await expect(page.getByRole("table", { name: "Users" }).getByLabel(`Role of ${p.email}`)).toHaveValue(
      p.role,
      { timeout: 30_000 },
    );
  }
  await page.screenshot({ path: test.info().outputPath("admin-users.png"), fullPage: true });
  await page.getByTestId("generated-password").getByRole("button", { name: "Done, hide it" }).click();
  await expect(page.getByTestId("generated-password")).toHaveCount(0);

  // a label set of three classes
  const setName = `pleura-${tag}`;
  await page.getByRole("link", { name: "Label sets" }).click();
  await expect(page).toHaveURL("/admin/label-sets");
  const newSet = page.getByRole("form", { name: "New label set" });
  await newSet.getByLabel("Name", { exact: true }).fill(setName);
  const classes = [
    ["clear", "Clear"],
    ["effusion", "Effusion"],
    ["pneumothorax", "Pneumothorax"],
  ];
  await newSet.getByRole("button", { name: "Another class" }).click();
  for (const [i, [key, name]] of classes.entries()) {
    await newSet.getByLabel(`Class ${i + 1} key`).fill(key!);
    await newSet.getByLabel(`Class ${i + 1} name`).fill(name!);
  }
  await newSet.getByRole("button", { name: "Create label set" }).click();
  const table = page.getByRole("table", { name: `Classes of ${setName}` });
  await expect(table.getByRole("row")).toHaveCount(4);
  await expect(table.getByRole("row").nth(3)).toContainText("Pneumothorax");
  await expect(table.getByRole("row").nth(3)).toContainText("3");
  await page.screenshot({ path: test.info().outputPath("label-sets.png"), fullPage: true });

  // the campaign: 4 synthetic images, 2 reads each, blinded, for the two new readers
  const campaignName = `Pleura study ${tag}`;
  await page.goto("/campaigns/new");
  const form = page.getByRole("form", { name: "New campaign" });
  await form.getByLabel("Name", { exact: true }).fill(campaignName);
  const labelSetOption = await form
    .getByLabel("Label set")
    .locator("option", { hasText: setName })
    .getAttribute("value");
  await form.getByLabel("Label set").selectOption(labelSetOption!);
  await form.getByLabel("Task").selectOption("CLASSIFY_ROI");
  await form.getByLabel("Data set / source").selectOption("SYNTHETIC");
  await form.getByLabel("At most (images)").fill("4");
  // the live count, before anything is saved
  await expect(page.getByTestId("selection-count")).toContainText("the campaign takes 4.");
  for (const p of people) await form.getByRole("group", { name: "Readers" }).getByLabel(p.name).check();
  await form.getByLabel("Reads per image").fill("2");
  await form.getByLabel("Model output").selectOption("blinded");
  await form.getByLabel("Queue order").selectOption("ENTROPY");
  await form.getByLabel("Due date").fill("2027-01-31");
  await page.screenshot({ path: test.info().outputPath("campaign-new.png"), fullPage: true });
  await form.getByRole("button", { name: "Create campaign" }).click();
  await expect(page).toHaveURL(/\/campaigns\/[\w-]+$/);

  // its page: progress per reader (4 reads each) and per image (2 reads each), active
  await expect(page.getByRole("heading", { level: 1, name: campaignName })).toBeVisible();
  await expect(page.getByTestId("campaign-status")).toHaveText("Status: active");
  const readers = page.getByRole("table", { name: "Progress per reader" });
  for (const p of people)
    await expect(readers.getByRole("row").filter({ hasText: p.name })).toContainText("0 / 4");
  const images = page.getByRole("table", { name: "Progress per image" });
  await expect(images.getByRole("row")).toHaveCount(5);
  await expect(images.getByRole("row").nth(1)).toContainText("0 / 2");
  // no reads yet: the agreement section says when its figures will appear
  await expect(page.locator("section#agreement")).toContainText(
    "Agreement appears once readers have read images",
  );
  await page.screenshot({ path: test.info().outputPath("campaign-page.png"), fullPage: true });

  const campaign = await db.campaign.findUniqueOrThrow({
    where: { name: campaignName },
    include: { assignments: true, members: true },
  });
  expect(campaign).toMatchObject({ blinded: true, readsPerImage: 2, status: "ACTIVE", task: "CLASSIFY_ROI" });
  expect(campaign.assignments).toHaveLength(8);
  expect(new Set(campaign.assignments.map((a) => `${a.imageId}|${a.userId}`)).size).toBe(8);

  await page.getByRole("button", { name: "Pause" }).click();
  await expect(page.getByTestId("campaign-status")).toHaveText("Status: paused");
  expect((await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).status).toBe("PAUSED");
  await page.screenshot({ path: test.info().outputPath("campaign-paused.png"), fullPage: true });
  await page.getByRole("button", { name: "Resume" }).click();
  await expect(page.getByTestId("campaign-status")).toHaveText("Status: active");
  expect((await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).status).toBe("ACTIVE");
  const audit = await db.auditEvent.findMany({ where: { entityId: campaign.id }, orderBy: { id: "asc" } });
  expect(audit.map((a) => a.action)).toEqual(["campaign.created", "campaign.paused", "campaign.resumed"]);

  // an adjudicator added to the running campaign
  const judges = page.getByRole("group", { name: "More adjudicators" });
  await judges.getByLabel(people[0]!.name).check();
  await page.getByRole("button", { name: "Add adjudicators" }).click();
  await expect(page.getByRole("status").filter({ hasText: "adjudicator(s) added" })).toContainText(
    "1 adjudicator(s) added; 0 disagreement(s) waiting for a decision.",
  );
  const ritaUser = await db.user.findUniqueOrThrow({ where: { email: people[0]!.email } });
  await expect
    .poll(() =>
      db.campaignMember.count({
        where: { campaignId: campaign.id, userId: ritaUser.id, role: "ADJUDICATOR" },
      }),
    )
    .toBe(1);

  // the new radiologist signs in with the password shown once and reads her four cases (blinded): a box and
  // "Effusion" on each, except "Pneumothorax" on the one image chosen here to be disputed
  const baseURL = test.info().project.use.baseURL;
  const [rita, anna] = people.map((p) => p.email) as [string, string];
  const imageIds = (await db.campaignImage.findMany({ where: { campaignId: campaign.id } })).map(
    (i) => i.imageId,
  );
  const disputed = imageIds.sort()[0]!;
  const box: [number, number, number, number] = [0.3, 0.3, 0.6, 0.6];
  const readAll = async (reader: Page, email: string, labelFor: (imageId: string) => string) => {
    for (let n = 0; n < 4; n++) {
      await expect(viewer(reader)).toHaveAttribute("data-painted-case", /.+/);
      const imageId = (await viewer(reader).getAttribute("data-painted-case"))!;
      await expect(reader.getByTestId("blinded")).toBeVisible();
      await drawBox(reader, box);
      await reader.keyboard.press(labelFor(imageId));
      await reader.keyboard.press("Enter");
      await expect
        .poll(() =>
          db.read.count({
            where: { campaignId: campaign.id, imageId, reader: { email } },
          }),
        )
        .toBe(1);
    }
  };
  const ritaPage = await signedInPage(browser, baseURL, rita, passwords[rita]!);
  await expect(ritaPage).toHaveURL("/worklist");
  await ritaPage.goto("/review");
  await readAll(ritaPage, rita, (imageId) => (imageId === disputed ? "3" : "2"));

  // the annotator, from /tasks in the same workspace: the same box and "Effusion" on all four
  const annaPage = await signedInPage(browser, baseURL, anna, passwords[anna]!);
  await expect(annaPage).toHaveURL("/tasks");
  await annaPage.getByRole("link", { name: "Start annotating" }).click();
  await expect(annaPage).toHaveURL(/\/tasks\/read/);
  await readAll(annaPage, anna, () => "2");
  await annaPage.screenshot({ path: test.info().outputPath("annotator-done.png") });

  // the disagreement reaches the adjudicator added above, who decides
  await expect
    .poll(() =>
      db.adjudication.count({ where: { campaignId: campaign.id, imageId: disputed, status: "PENDING" } }),
    )
    .toBe(1);
  await ritaPage.goto("/adjudication");
  await expect(ritaPage.getByTestId("adjudication-read")).toHaveCount(2);
  await ritaPage.getByRole("radio", { name: "Effusion" }).check();
  await ritaPage.getByLabel("Rationale").fill("Blunted costophrenic angle, no pleural line.");
  await ritaPage.getByRole("button", { name: "Decide" }).click();
  await expect(ritaPage.getByText("Nothing to adjudicate")).toBeVisible();

  // the campaign page: every read done, kappa, the consensus of the disputed image first among the disputes
  await page.reload();
  for (const p of people)
    await expect(readers.getByRole("row").filter({ hasText: p.name })).toContainText("4 / 4");
  const agreement = page.locator("section#agreement");
  await expect(agreement.getByTestId("fleiss")).toContainText("over 2 readers and 4 images");
  await expect(agreement.getByRole("table", { name: "Pairs of readers" })).toContainText(
    `${people[1]!.name} / ${people[0]!.name}`,
  );
  const disputes = agreement.getByRole("table", { name: "The images with the most disagreement" });
  await expect(disputes.getByRole("row").nth(1)).toContainText("effusion");
  await expect(disputes.getByRole("row").nth(1)).toContainText("0.50");
  await page.screenshot({ path: test.info().outputPath("campaign-read.png"), fullPage: true });

  // the next training preview of the label set counts its consensus labels (all four effusion) outside the
  // locked test split (the selection may take images of patients another spec put there)
  const consensus = { campaignId: campaign.id, labelClass: { key: "effusion" } };
  expect(await db.consensus.count({ where: consensus })).toBe(4);
  const trainable = await db.consensus.count({
    where: {
      ...consensus,
      image: { study: { patient: { OR: [{ split: null }, { split: { not: "TEST" } }] } } },
    },
  });
  expect(trainable).toBeGreaterThan(0);
  await page.goto("/training");
  await page.getByLabel("Label set").fill(setName);
  const effusion = page.getByTestId("training-preview").getByRole("row").filter({ hasText: "Effusion" });
  await expect(effusion).toContainText(`consensus: ${trainable} img`);
  await page.screenshot({ path: test.info().outputPath("training-preview.png"), fullPage: true });
});
