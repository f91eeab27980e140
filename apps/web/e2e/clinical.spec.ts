// The case panel in real Chromium: the data set's clinical columns (RT-PCR, outcome, vitals, laboratory counts
// and the other columns kept as text) grouped, with units, beside the prediction.
import { expect, test } from "@playwright/test";
import { type Db } from "@cxr/db";
import { createReviewFixture, type ReviewFixture } from "../test/review-fixtures";
import { account } from "./fixtures";
import { stackHandles } from "./review-stack";
import { signInAs } from "./session";

let db: Db;
let fx: ReviewFixture;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const handles = await stackHandles();
  db = handles.db;
  fx = await createReviewFixture(db, handles.storage, {
    count: 1,
    size: 128,
    tag: `e2e-clinical-${Date.now()}`,
  });
  await db.image.update({
    where: { id: fx.imageIds[0]! },
    data: {
      temperatureC: 38.4,
      rtPcrPositive: true,
      neededSupplementalO2: true,
      survival: false,
      inIcu: true,
      po2Saturation: 92,
      leukocyteCount: 6.1,
      neutrophilCount: 4.8,
      lymphocyteCount: 0.8,
      offsetDays: 5,
      clinicalExtra: { ferritin: "1250 ng/mL", d_dimer: "0.9" },
    },
  });
});
test.afterAll(() => db?.$disconnect());

test("a radiologist sees the case's clinical columns grouped with units", async ({ page }) => {
  // the stack's first minutes are busy (the demo trains in the background): the case may take a while
  test.setTimeout(90_000);
  await signInAs(page, account("RADIOLOGIST"));
  await page.goto(`/review?case=${fx.imageIds[0]}&model=${fx.modelVersionId}`);
  const clinical = page.getByTestId("clinical");
  await expect(clinical).toBeVisible({ timeout: 45_000 });
  await expect(clinical.getByTestId("clinical-rt-pcr")).toContainText("positive");
  await expect(clinical.getByTestId("clinical-outcome")).toContainText("Supplemental O₂yes");
  await expect(clinical.getByTestId("clinical-vitals")).toContainText("38.4 °C");
  await expect(clinical.getByTestId("clinical-vitals")).toContainText("92 %");
  await expect(clinical.getByTestId("clinical-laboratory")).toContainText("0.8 ×10⁹/L");
  await expect(clinical.getByTestId("clinical-other")).toContainText("1250 ng/mL");
  await clinical.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/clinical-case-panel.png", fullPage: true });
});
