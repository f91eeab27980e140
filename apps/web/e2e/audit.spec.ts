// The FP/FN audit in real Chromium: a lead (an admin) opens the audit page for the champion, opens the
// pneumonia -> COVID-19 cell as a queue in the viewer and steps through it, moves the COVID-19 threshold, compares
// two versions, opens an image's timeline, filters the audit log and downloads the COCO export; a radiologist
// cannot reach the audit log (page or API).
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { type Db } from "@cxr/db";
import { createAuditFixture, type AuditFixture } from "../test/audit-fixtures";
import { account } from "./fixtures";
import { stackHandles } from "./review-stack";
import { apiSession, signInAs } from "./session";

let db: Db;
let fx: AuditFixture;
let previousChampion: string | null = null;
const tag = `e2e-audit-${Date.now()}`;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const handles = await stackHandles();
  db = handles.db;
  const radiologist = await db.user.findUniqueOrThrow({ where: { email: account("RADIOLOGIST").email } });
  fx = await createAuditFixture(db, handles.storage, { tag, readerId: radiologist.id });
  // the fixture's version becomes the champion for this spec; the previous one is put back afterwards
  const champion = await db.modelVersion.findFirst({
    where: { labelSetId: fx.labelSetId, status: "CHAMPION" },
  });
  previousChampion = champion?.id ?? null;
  await db.$transaction([
    db.modelVersion.updateMany({
      where: { labelSetId: fx.labelSetId, status: "CHAMPION" },
      data: { status: "RETIRED" },
    }),
    db.modelVersion.update({
      where: { id: fx.modelVersionId },
      data: { status: "CHAMPION", promotedAt: new Date() },
    }),
  ]);
  const admin = await db.user.findUniqueOrThrow({ where: { email: account("ADMIN").email } });
  for (let i = 0; i < 3; i++)
    await db.auditEvent.create({
      data: {
        actorId: admin.id,
        actorRole: "ADMIN",
        action: `${tag}.checked`,
        entityType: "Image",
        entityId: fx.imageIds[i]!,
      },
    });
});

test.afterAll(async () => {
  if (fx)
    await db.$transaction([
      db.modelVersion.update({ where: { id: fx.modelVersionId }, data: { status: "RETIRED" } }),
      ...(previousChampion
        ? [db.modelVersion.update({ where: { id: previousChampion }, data: { status: "CHAMPION" } })]
        : []),
    ]);
  await db?.$disconnect();
});

test("a lead audits the champion's errors, threshold, flips, a timeline, the log and the COCO export", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signInAs(page, account("ADMIN"));
  await page.getByRole("link", { name: "Audit", exact: true }).click();
  const matrix = page.getByTestId("confusion-matrix");
  await expect(matrix).toBeVisible();
  await expect(page.getByTestId("audit-model")).toHaveValue(fx.modelVersionId);
  await expect(page.getByTestId("audit-errors").locator("li").first()).toContainText("pneumonia → covid-19");
  await page.screenshot({ path: "test-results/audit-page.png", fullPage: true });

  // the threshold slider moves the operating point
  await page.getByTestId("threshold-slider").fill("80");
  await expect(page.getByTestId("threshold-value")).toHaveText("0.80");
  await expect(page.getByTestId("threshold-roc").locator(".recharts-reference-dot")).toBeVisible();
  await page.getByTestId("threshold-slider").fill("20");
  await expect(page.getByTestId("threshold-value")).toHaveText("0.20");
  await page.getByTestId("threshold-figures").scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/audit-threshold.png", fullPage: true });

  // the costly cell as a queue in the viewer (over everything the champion predicted), stepped through with N
  await page.getByTestId("audit-scope").selectOption("predicted");
  await expect(page.getByText(/predicted without a label|labelled cases/)).toBeVisible();
  const cellCount = Number((await matrix.getByTestId("cell-pneumonia-covid-19").innerText()).split("\n")[0]);
  expect(cellCount).toBeGreaterThan(1);
  await matrix.getByTestId("cell-pneumonia-covid-19").click();
  await expect(page).toHaveURL(/\/review\?.*audit=cell/);
  const queue = page.getByTestId("queue");
  await expect(queue).toHaveAttribute("data-scope", "audit");
  await expect(queue.locator("li")).toHaveCount(cellCount);
  await expect(page.getByTestId("audit-position")).toHaveText(`case 1 of ${cellCount}`);
  await expect(page.getByTestId("model-version")).toContainText(`fixture-${tag}`);
  const first = await queue.locator("[aria-current=true]").getAttribute("data-image-id");
  await page.keyboard.press("n");
  await expect(queue.locator("[aria-current=true]")).not.toHaveAttribute("data-image-id", first!);
  await expect(page.getByTestId("audit-position")).toHaveText(`case 2 of ${cellCount}`);
  await expect(page).toHaveURL(/audit=cell.*case=/);

  // the open image's history beside the viewer
  await page.getByTestId("case-timeline").locator("summary").click();
  await expect(page.getByTestId("case-timeline").getByText("Imported label")).toBeVisible();
  await expect(page.getByTestId("case-timeline").getByText("Prediction", { exact: true })).toHaveCount(2);
  await page.screenshot({ path: "test-results/audit-cell-queue.png", fullPage: true });

  // two versions compared on the same scope; the flips open as a queue
  await page.goto("/audit");
  await page.getByTestId("compare-baseline").selectOption(fx.baselineId);
  const flips = page.getByTestId("flip-right-to-wrong");
  await expect(flips).toContainText(/Right → wrong: [1-9]/);
  await page.screenshot({ path: "test-results/audit-compare.png", fullPage: true });
  await flips.click();
  await expect(page).toHaveURL(/audit=flip/);
  await expect(page.getByTestId("queue")).toHaveAttribute("data-scope", "audit");

  // the COCO export of the scope downloads and parses
  await page.goto("/audit");
  await page.getByTestId("audit-scope").selectOption("predicted");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("export-coco").click(),
  ]);
  const coco = JSON.parse(await readFile((await download.path())!, "utf8")) as {
    categories: { name: string }[];
    annotations: { iscrowd: number }[];
  };
  expect(coco.categories.map((c) => c.name)).toContain("covid-19");
  expect(coco.annotations.map((a) => a.iscrowd).sort()).toEqual([0, 1]);

  // the audit log, filtered by action
  await page.getByRole("link", { name: "Audit log" }).click();
  await page.getByLabel(/^Action/).fill(`${tag}.`);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByTestId("audit-log-table").locator("tbody tr")).toHaveCount(3);
  await expect(page.getByText("3 events")).toBeVisible();
  await page.screenshot({ path: "test-results/audit-log.png", fullPage: true });
});

test("a radiologist cannot read the audit log, by page or API", async ({ page, baseURL }) => {
  await signInAs(page, account("RADIOLOGIST"));
  await page.goto("/audit-log");
  await expect(page).not.toHaveURL(/audit-log/);
  await expect(page.getByRole("link", { name: "Audit log" })).toHaveCount(0);
  const api = await apiSession(baseURL!, account("RADIOLOGIST").email, account("RADIOLOGIST").password);
  expect(
    (
      await api.get(`/api/trpc/history.auditLog?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`)
    ).status(),
  ).toBe(403);
  expect((await api.get("/api/exports/audit-log.csv")).status()).toBe(403);
  await api.dispose();
  const anonymous = await apiSession(baseURL!, null);
  expect((await anonymous.get("/api/exports/audit-log.csv")).status()).toBe(401);
  await anonymous.dispose();
});
