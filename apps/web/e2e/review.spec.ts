// The reading workspace as a radiologist uses it: window/level, heat maps, ROIs with undo, a label by key,
// drafts across a reload, submit with Enter to the next case, and a second reader's conflict.
import { expect, test, type Page } from "@playwright/test";
import { type Db } from "@cxr/db";
import { createReviewFixture, type ReviewFixture } from "../test/review-fixtures";
import { account } from "./fixtures";
import { stackHandles } from "./review-stack";
import { signIn, signInAs } from "./session";

let db: Db;
let fx: ReviewFixture;

test.beforeAll(async () => {
  const handles = await stackHandles();
  db = handles.db;
  fx = await createReviewFixture(db, handles.storage, { count: 4, size: 512, tag: `e2e-${Date.now()}` });
});

test.afterAll(async () => {
  await db?.$disconnect();
});

const viewer = (page: Page) => page.getByTestId("viewer");

async function canvasPoint(page: Page, fx: number, fy: number) {
  const box = await viewer(page).boundingBox();
  if (!box) throw new Error("viewer not laid out");
  return { x: box.x + box.width * fx, y: box.y + box.height * fy };
}

async function openReview(page: Page, caseId?: string) {
  await page.goto(`/review?model=${fx.modelVersionId}${caseId ? `&case=${caseId}` : ""}`);
}

test("a radiologist reads a case with the keyboard and the next one opens", async ({ page }, testInfo) => {
  await signInAs(page, account("RADIOLOGIST"));
  await page.getByRole("link", { name: "Review", exact: true }).click();
  await expect(page).toHaveURL(/\/review/);
  // this test's own cases: the queue of its fixture model (the demo may be seeding meanwhile)
  await openReview(page);
  const first = fx.imageIds[0]!;
  await expect(viewer(page)).toHaveAttribute("data-painted-case", first);
  await expect(page.getByTestId("model-version")).toContainText(/fixture-e2e-\d+ v\d+/);

  // window/level: right-drag, then a preset by key
  await expect(viewer(page)).toHaveAttribute("data-window", "128/255");
  const a = await canvasPoint(page, 0.5, 0.5);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down({ button: "right" });
  await page.mouse.move(a.x - 80, a.y + 40, { steps: 4 });
  await page.mouse.up({ button: "right" });
  await expect(viewer(page)).not.toHaveAttribute("data-window", "128/255");
  await page.keyboard.press("w");
  await expect(viewer(page)).toHaveAttribute("data-window", "128/255");
  await page.keyboard.press("w");
  await expect(viewer(page)).toHaveAttribute("data-window", "85/150");

  // heat map: off and on with H, then another class with G
  const heat = await viewer(page).getAttribute("data-heatmap");
  expect(heat).toMatch(/^\/api\/objects\/gradcam\//);
  await page.keyboard.press("h");
  await expect(viewer(page)).toHaveAttribute("data-heatmap", "");
  await page.keyboard.press("h");
  await expect(viewer(page)).toHaveAttribute("data-heatmap", heat!);
  await page.keyboard.press("g");
  await expect(viewer(page)).not.toHaveAttribute("data-heatmap", heat!);
  await expect(viewer(page)).toHaveAttribute("data-heatmap", /^\/api\/objects\/gradcam\//);

  // a rectangle, then a polygon closed on its first point
  await page.keyboard.press("r");
  const r0 = await canvasPoint(page, 0.4, 0.3);
  const r1 = await canvasPoint(page, 0.55, 0.5);
  await page.mouse.move(r0.x, r0.y);
  await page.mouse.down();
  await page.mouse.move(r1.x, r1.y, { steps: 5 });
  await page.mouse.up();
  await expect(viewer(page)).toHaveAttribute("data-rois", "1");
  await page.keyboard.press("p");
  for (const [x, y] of [
    [0.45, 0.6],
    [0.6, 0.62],
    [0.52, 0.75],
    [0.45, 0.6],
  ] as const) {
    const p = await canvasPoint(page, x, y);
    await page.mouse.click(p.x, p.y);
  }
  await expect(viewer(page)).toHaveAttribute("data-rois", "2");
  await page.screenshot({ path: testInfo.outputPath("viewer-rois.png") });
  await page.keyboard.press("b");
  await expect(viewer(page)).toHaveAttribute("data-layout", "side-by-side");
  await page.screenshot({ path: testInfo.outputPath("viewer-side-by-side.png") });
  await page.keyboard.press("b");
  await page.keyboard.press("?");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeHidden();

  // undo the polygon; a freehand outline, erased again; choose a class; reload and find the draft
  await page.keyboard.press("Control+z");
  await expect(viewer(page)).toHaveAttribute("data-rois", "1");
  await page.keyboard.press("d");
  const f0 = await canvasPoint(page, 0.3, 0.62);
  await page.mouse.move(f0.x, f0.y);
  await page.mouse.down();
  for (const [x, y] of [
    [0.36, 0.64],
    [0.38, 0.72],
    [0.31, 0.75],
    [0.28, 0.68],
  ] as const) {
    const p = await canvasPoint(page, x, y);
    await page.mouse.move(p.x, p.y, { steps: 3 });
  }
  await page.mouse.up();
  await expect(viewer(page)).toHaveAttribute("data-rois", "2");
  await page.keyboard.press("k");
  const inside = await canvasPoint(page, 0.33, 0.68);
  await page.mouse.click(inside.x, inside.y);
  await expect(viewer(page)).toHaveAttribute("data-rois", "1");
  await page.keyboard.press("2");
  await page.reload();
  await expect(viewer(page)).toHaveAttribute("data-painted-case", first);
  await expect(page.getByTestId("draft-restored")).toBeVisible();
  await expect(viewer(page)).toHaveAttribute("data-rois", "1");
  await expect(page.getByRole("radio", { name: /Pneumonia/ })).toBeChecked();

  // correct the label with a key, submit with Enter, see the next case
  await page.keyboard.press("3");
  await expect(page.getByRole("radio", { name: /COVID-19/ })).toBeChecked();
  await page.keyboard.press("Enter");
  await expect(viewer(page)).toHaveAttribute("data-painted-case", fx.imageIds[1]!);
  await page.screenshot({ path: testInfo.outputPath("viewer-next-case.png") });

  await expect
    .poll(async () =>
      db.read.findFirst({ where: { imageId: first, source: "READER" }, include: { annotations: true } }),
    )
    .toMatchObject({
      classId: fx.classIds["covid-19"],
      annotations: [expect.objectContaining({ shape: "RECTANGLE" })],
    });
  const audit = await db.auditEvent.findMany({
    where: { entityType: "Read", action: "read.created" },
    orderBy: { id: "desc" },
    take: 1,
  });
  expect(audit[0]?.after).toMatchObject({ classId: fx.classIds["covid-19"] });
});

test("an expired session keeps the decision as a draft and asks to sign in again", async ({ page }) => {
  const caseId = fx.imageIds[3]!;
  await signInAs(page, account("RADIOLOGIST"));
  await openReview(page, caseId);
  await expect(viewer(page)).toHaveAttribute("data-painted-case", caseId);
  await page.keyboard.press("4");
  await page.keyboard.press("o");
  await page.context().clearCookies();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("submit-failure")).toContainText("Your session has expired");
  await page.getByRole("link", { name: "Sign in again" }).click();
  await signIn(page, account("RADIOLOGIST").email, account("RADIOLOGIST").password);
  await expect(viewer(page)).toHaveAttribute("data-painted-case", caseId);
  await expect(page.getByTestId("draft-restored")).toBeVisible();
  await expect(page.getByRole("radio", { name: /Lung opacity/ })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: /second opinion/ })).toBeChecked();
  expect(await db.read.count({ where: { imageId: caseId, source: "READER" } })).toBe(0);
});

test("a second reader editing the same case gets the conflict message", async ({ browser }, testInfo) => {
  const caseId = fx.imageIds[2]!;
  const rosa = await browser.newContext();
  const ada = await browser.newContext();
  try {
    const p1 = await rosa.newPage();
    const p2 = await ada.newPage();
    await signInAs(p1, account("RADIOLOGIST"));
    await signInAs(p2, account("ADMIN"));
    await openReview(p1, caseId);
    await openReview(p2, caseId);
    await expect(viewer(p1)).toHaveAttribute("data-painted-case", caseId);
    await expect(viewer(p2)).toHaveAttribute("data-painted-case", caseId);

    await p1.keyboard.press("1");
    await p1.keyboard.press("Enter");
    await expect.poll(() => db.read.count({ where: { imageId: caseId, source: "READER" } })).toBe(1);

    await p2.keyboard.press("4");
    await p2.keyboard.press("Enter");
    await expect(p2.getByTestId("submit-failure")).toContainText(
      "Rosa Radiologist submitted a decision on this case",
    );
    await p2.getByRole("button", { name: "Open that case" }).click();
    await expect(p2.getByTestId("conflict-message")).toBeVisible();
    await p2.screenshot({ path: testInfo.outputPath("viewer-conflict.png") });
    expect(await db.read.count({ where: { imageId: caseId, source: "READER" } })).toBe(1);
  } finally {
    await rosa.close();
    await ada.close();
  }
});
