// Grad-CAM against readers' ROIs in real Chromium: a radiologist draws a region away from the heat map's peak and
// submits; the stored figures (pointing game, energy inside) appear with the map when the case is reopened, and
// another class's map says it has no ROIs to compare with; a lead finds the case on the audit page as "right for
// the wrong reason" (correct, most of the map's energy outside the region) and opens it in the viewer.
import { expect, test } from "@playwright/test";
import { type Db } from "@cxr/db";
import { createReviewFixture, type ReviewFixture } from "../test/review-fixtures";
import { drawBox, viewer } from "./campaign-steps";
import { account } from "./fixtures";
import { stackHandles } from "./review-stack";
import { signInAs } from "./session";

let db: Db;
let fx: ReviewFixture;

test.beforeAll(async () => {
  const stack = await stackHandles();
  db = stack.db;
  // one image predicted "normal", whose normal map peaks at (0.3, 0.4) of the image
  fx = await createReviewFixture(db, stack.storage, { count: 1, size: 256, tag: `e2e-camroi-${Date.now()}` });
});
test.afterAll(() => db?.$disconnect());

test("a read's region scored against the heat map, shown in the viewer and found by the audit", async ({
  page,
  browser,
}, testInfo) => {
  test.setTimeout(180_000);
  const imageId = fx.imageIds[0]!;
  await signInAs(page, account("RADIOLOGIST"));
  await page.goto(`/review?model=${fx.modelVersionId}&case=${imageId}`);
  await expect(viewer(page)).toHaveAttribute("data-painted-case", imageId);
  // low in the middle of the image, far from the map's peak
  await drawBox(page, [0.45, 0.72, 0.55, 0.88]);
  await page.keyboard.press("1");
  await page.keyboard.press("Enter");

  const scored = () =>
    db.camRoiAgreement.findFirst({
      where: { read: { imageId }, classId: fx.classIds["normal"] },
      include: { read: { include: { reader: true } } },
    });
  await expect.poll(async () => (await scored())?.pointingStrict).toBe(false);
  const row = (await scored())!;
  expect(row.energyInside).toBeLessThan(0.5);
  expect(row.read.reader?.email).toBe(account("RADIOLOGIST").email);

  // the figures beside the map when the case is opened again
  await page.goto(`/review?model=${fx.modelVersionId}&case=${imageId}`);
  await expect(viewer(page)).toHaveAttribute("data-painted-case", imageId);
  const figures = page.getByTestId("map-figures");
  const readerRow = figures.getByTestId("pointing-figures").getByRole("row").filter({ hasText: "Rosa" });
  await expect(readerRow).toContainText("miss");
  await expect(readerRow).toContainText(`${(row.energyInside * 100).toFixed(0)}%`);
  await page.screenshot({ path: testInfo.outputPath("map-figures.png") });
  // another class's map: no region of that class to compare with
  await page
    .getByRole("group", { name: "Grad-CAM" })
    .getByLabel("Class")
    .selectOption({ label: "Pneumonia" });
  await expect(figures).toContainText("Pneumonia");
  await expect(figures).toContainText("No reader's ROIs of this class to compare with.");

  // the lead's audit of the reviewed cases: the case is right for the wrong reason
  const lead = await (await browser.newContext({ baseURL: testInfo.project.use.baseURL })).newPage();
  await signInAs(lead, account("ADMIN"));
  await lead.goto(`/audit?model=${fx.modelVersionId}`);
  await lead.getByTestId("audit-scope").selectOption("reviewed");
  await expect(lead.getByTestId("cam-roi-table")).toContainText("normal", { ignoreCase: true });
  const wrongReason = lead.getByTestId("wrong-reason-queue");
  await expect(wrongReason).toContainText("1 case in the viewer");
  await lead.screenshot({ path: testInfo.outputPath("audit-cam-roi.png"), fullPage: true });
  await wrongReason.click();
  await expect(viewer(lead)).toHaveAttribute("data-painted-case", imageId);
});
