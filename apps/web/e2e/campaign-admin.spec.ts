// The administrator's path to a campaign in the browser: two new accounts (a radiologist and an annotator,
// each with a password shown once), a new label set, a blinded campaign with 2 reads per image for them from a
// selection with its live count, its page with progress per reader and per image, paused and resumed, and an
// adjudicator added while it runs.
import { expect, test } from "@playwright/test";
import { type Db } from "@cxr/db";
import { createReviewFixture } from "../test/review-fixtures";
import { account } from "./fixtures";
import { stackHandles } from "./review-stack";
import { signIn, signInAs } from "./session";

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
  test.setTimeout(180_000);
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
    await expect(page.getByRole("table", { name: "Users" }).getByLabel(`Role of ${p.email}`)).toHaveValue(
      p.role,
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
  const rita = await db.user.findUniqueOrThrow({ where: { email: people[0]!.email } });
  await expect
    .poll(() =>
      db.campaignMember.count({ where: { campaignId: campaign.id, userId: rita.id, role: "ADJUDICATOR" } }),
    )
    .toBe(1);

  // the generated password signs the new radiologist in
  const other = await browser.newPage({ baseURL: test.info().project.use.baseURL });
  await other.goto("/signin");
  await signIn(other, people[0]!.email, passwords[people[0]!.email]!);
  await expect(other).toHaveURL("/worklist");
  await other.close();
});
