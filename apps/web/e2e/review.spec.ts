// The reading workspace as a radiologist uses it: window/level, heat maps, ROIs with undo, a label by key,
// drafts across a reload, submit with Enter to the next case, a second reader's conflict, a brush stroke
// partly erased and found again from the server's draft, a session expiring mid-drawing, and a blinded
// campaign's queue.
import { expect, test, type Page } from "@playwright/test";
import { type Db } from "@cxr/db";
import { createAssignments } from "@cxr/db/assignments";
import { type ObjectStorage } from "@cxr/storage";
import { createReviewFixture, type ReviewFixture } from "../test/review-fixtures";
import { account } from "./fixtures";
import { stackHandles } from "./review-stack";
import { signIn, signInAs } from "./session";

let db: Db;
let storage: ObjectStorage;
let fx: ReviewFixture;

test.beforeAll(async () => {
  const handles = await stackHandles();
  db = handles.db;
  storage = handles.storage;
  fx = await createReviewFixture(db, storage, { count: 6, size: 512, tag: `e2e-${Date.now()}` });
});

test.afterAll(async () => {
  await db?.$disconnect();
});

/** A test's own cases (256 px), apart from the shared ones and from every other test's. */
const freshCases = (name: string, count: number) =>
  createReviewFixture(db, storage, { count, size: 256, tag: `e2e-${name}-${Date.now()}` });

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

  // undo the polygon; a lasso (freehand outline), erased again; choose a class; reload and find the draft
  await page.keyboard.press("Control+z");
  await expect(viewer(page)).toHaveAttribute("data-rois", "1");
  await page.keyboard.press("l");
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
    await expect(viewer(p1)).toHaveAttribute("data-painted-case", caseId);
    // Rosa holds the case's lease (her queue served it, her opening renewed it): Ada's link still opens it
    // and says who is reading it
    await openReview(p2, caseId);
    await expect(viewer(p2)).toHaveAttribute("data-painted-case", caseId);
    await expect(p2.getByTestId("lease-holder")).toContainText("Rosa Radiologist is reading this case");
    await expect(p1.getByTestId("lease-holder")).toHaveCount(0);

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

async function drag(page: Page, from: [number, number], to: [number, number], steps = 12) {
  const a = await canvasPoint(page, ...from);
  const b = await canvasPoint(page, ...to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps });
  await page.mouse.up();
}

test("a brush stroke of a chosen size, partly erased, survives a cleared browser through the server draft", async ({
  page,
}, testInfo) => {
  const caseId = fx.imageIds[4]!;
  await signInAs(page, account("RADIOLOGIST"));
  await openReview(page, caseId);
  await expect(viewer(page)).toHaveAttribute("data-painted-case", caseId);

  // the brush, two sizes up with ]
  await page.keyboard.press("d");
  await expect(viewer(page)).toHaveAttribute("data-brush-size", "16");
  await page.keyboard.press("]");
  await page.keyboard.press("]");
  await expect(viewer(page)).toHaveAttribute("data-brush-size", "32");
  await expect(page.getByTestId("brush-size")).toHaveText("32 px");
  const scale = Number(await viewer(page).getAttribute("data-scale"));
  expect(scale).toBeGreaterThan(0);
  const width = 32 / scale / 512;
  await drag(page, [0.36, 0.5], [0.64, 0.5]);
  await expect(viewer(page)).toHaveAttribute("data-rois", "1");

  // the eraser, same size, across the middle of the stroke: two strokes remain
  await page.keyboard.press("k");
  await drag(page, [0.5, 0.4], [0.5, 0.6]);
  await expect(viewer(page)).toHaveAttribute("data-rois", "2");
  await page.screenshot({ path: testInfo.outputPath("viewer-brush-erased.png") });

  // autosaved on the server, with the width
  await expect(page.getByTestId("draft-status")).toHaveText("Draft saved");
  await expect
    .poll(async () => {
      const row = await db.reviewDraft.findFirst({ where: { imageId: caseId } });
      const rois = (row?.payload as { rois?: { shape: string; strokeWidth?: number }[] } | undefined)?.rois;
      return rois?.map((r) => [r.shape, Math.round((r.strokeWidth ?? 0) / width)]);
    })
    .toEqual([
      ["BRUSH", 1],
      ["BRUSH", 1],
    ]);

  // a cleared browser: the draft comes from the server
  await page.evaluate(() => window.localStorage.clear());
  await page.reload();
  await expect(viewer(page)).toHaveAttribute("data-painted-case", caseId);
  await expect(page.getByTestId("draft-restored")).toHaveAttribute("data-source", "server");
  await expect(viewer(page)).toHaveAttribute("data-rois", "2");

  // undo and redo work on strokes as on any region
  await page.keyboard.press("d");
  await drag(page, [0.4, 0.65], [0.6, 0.66]);
  await expect(viewer(page)).toHaveAttribute("data-rois", "3");
  await page.keyboard.press("Control+z");
  await expect(viewer(page)).toHaveAttribute("data-rois", "2");
  await page.keyboard.press("Control+Shift+z");
  await expect(viewer(page)).toHaveAttribute("data-rois", "3");
  await page.keyboard.press("Control+z");
  await expect(viewer(page)).toHaveAttribute("data-rois", "2");

  await page.keyboard.press("1");
  await page.keyboard.press("Enter");
  await expect
    .poll(async () => {
      const read = await db.read.findFirst({
        where: { imageId: caseId, source: "READER" },
        include: { annotations: true },
      });
      return read?.annotations.map((a) => [a.shape, Math.round((a.strokeWidth ?? 0) / width)]);
    })
    .toEqual([
      ["BRUSH", 1],
      ["BRUSH", 1],
    ]);
  await expect.poll(() => db.reviewDraft.count({ where: { imageId: caseId } })).toBe(0);
});

test("a session expiring mid-drawing keeps the draft, asks to sign in again and finds it after", async ({
  page,
}) => {
  const caseId = fx.imageIds[5]!;
  await signInAs(page, account("RADIOLOGIST"));
  await openReview(page, caseId);
  await expect(viewer(page)).toHaveAttribute("data-painted-case", caseId);
  await page.context().clearCookies();

  await page.keyboard.press("r");
  await drag(page, [0.4, 0.35], [0.55, 0.5], 5);
  await expect(viewer(page)).toHaveAttribute("data-rois", "1");
  await expect(page.getByTestId("session-expired")).toBeVisible();
  await expect(page.getByTestId("draft-status")).toHaveText(/saved on this device/);

  await page.getByRole("link", { name: "Sign in again" }).click();
  await signIn(page, account("RADIOLOGIST").email, account("RADIOLOGIST").password);
  await expect(viewer(page)).toHaveAttribute("data-painted-case", caseId);
  await expect(page.getByTestId("draft-restored")).toBeVisible();
  await expect(viewer(page)).toHaveAttribute("data-rois", "1");
  // signed in again, the server gets its copy
  await expect(page.getByTestId("draft-status")).toHaveText("Draft saved");
  expect(await db.reviewDraft.count({ where: { imageId: caseId } })).toBe(1);
});

test("a blinded campaign's queue: the reader's assignments, no prediction, DONE with the read", async ({
  page,
}, testInfo) => {
  const cases = await freshCases("blind", 2);
  const reader = await db.user.findUniqueOrThrow({ where: { email: account("RADIOLOGIST").email } });
  const admin = await db.user.findUniqueOrThrow({ where: { email: account("ADMIN").email } });
  const campaign = await db.campaign.create({
    data: {
      name: `Blinded e2e ${Date.now()}`,
      labelSetId: cases.labelSetId,
      status: "ACTIVE",
      strategy: "FIFO",
      blinded: true,
      modelVersionId: cases.modelVersionId,
      createdById: admin.id,
    },
  });
  // FIFO: the second image first, as assigned
  const order = [cases.imageIds[1]!, cases.imageIds[0]!];
  await createAssignments(db, { campaignId: campaign.id, imageIds: order, userIds: [reader.id] });
  try {
    await signInAs(page, account("RADIOLOGIST"));
    await page.goto("/review");
    await expect(viewer(page)).toHaveAttribute("data-painted-case", order[0]!);
    await expect(page.getByTestId("queue-scope")).toHaveValue("all");
    await expect(page.getByTestId("queue")).toHaveAttribute("data-scope", "campaigns");
    await expect(page.getByTestId("campaign")).toContainText(campaign.name);
    await expect(page.getByTestId("blinded")).toBeVisible();
    await expect(page.getByTestId("model-version")).toHaveCount(0);
    await expect(viewer(page)).toHaveAttribute("data-heatmap", "");
    await expect(page.getByTestId("toggle-heatmap")).toHaveCount(0);
    await page.screenshot({ path: testInfo.outputPath("viewer-blinded-campaign.png") });
    await expect
      .poll(
        async () =>
          (await db.assignment.findFirst({ where: { campaignId: campaign.id, imageId: order[0]! } }))?.status,
      )
      .toBe("IN_PROGRESS");

    await page.keyboard.press("2");
    await page.keyboard.press("Enter");
    await expect(viewer(page)).toHaveAttribute("data-painted-case", order[1]!);
    await expect
      .poll(async () => db.read.findFirst({ where: { imageId: order[0]!, source: "READER" } }))
      .toMatchObject({ campaignId: campaign.id, predictionId: null, classId: cases.classIds["pneumonia"] });
    expect(
      (await db.assignment.findFirstOrThrow({ where: { campaignId: campaign.id, imageId: order[0]! } }))
        .status,
    ).toBe("DONE");

    // "Unassigned: all unreviewed" is one choice away
    await page.getByTestId("queue-scope").selectOption("unreviewed");
    await expect(page.getByTestId("queue-order")).toHaveText("Every unreviewed image, most uncertain first");
    // where the open blinded case is not offered with its prediction
    await expect(page.locator(`[data-image-id="${order[1]!}"]`)).toHaveCount(0);
  } finally {
    // the other tests (and the benchmark) expect the radiologist without open campaigns
    await db.campaign.update({
      where: { id: campaign.id },
      data: { status: "CLOSED", closedAt: new Date() },
    });
  }
});

test("the data set's lesion outlines show dashed for reference and can be hidden", async ({
  page,
}, testInfo) => {
  const cases = await freshCases("outlines", 1);
  const imageId = cases.imageIds[0]!;
  const imported = await db.read.create({
    data: { imageId, labelSetId: cases.labelSetId, classId: cases.classIds["pneumonia"]!, source: "IMPORT" },
  });
  await db.annotation.create({
    data: {
      imageId,
      readId: imported.id,
      classId: imported.classId,
      shape: "POLYGON",
      points: [
        [0.25, 0.3],
        [0.45, 0.3],
        [0.4, 0.6],
        [0.25, 0.55],
      ],
    },
  });
  await signInAs(page, account("RADIOLOGIST"));
  await page.goto(`/review?model=${cases.modelVersionId}&case=${imageId}`);
  await expect(viewer(page)).toHaveAttribute("data-painted-case", imageId);
  await expect(viewer(page)).toHaveAttribute("data-source-rois", "1");
  // the outline is the data set's: the reader's own regions start empty
  await expect(viewer(page)).toHaveAttribute("data-rois", "0");
  const toggle = page.getByTestId("toggle-source-rois");
  await expect(toggle).toHaveText("Data-set outlines (1)");
  await page.screenshot({ path: testInfo.outputPath("viewer-data-set-outlines.png") });
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await expect(viewer(page)).toHaveAttribute("data-source-rois", "0");
});
