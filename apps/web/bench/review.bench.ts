// Measures, in Chromium, (1) key press -> next case painted over 50 cases (label key + Enter, the real
// loop: submit in the background, next case from the prefetch) and (2) frame times while panning a
// 3000x3000 image with its Grad-CAM overlay. Prints one JSON object and writes it to test-results.
import { writeFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { createReviewFixture } from "../test/review-fixtures";
import { stackHandles } from "../e2e/review-stack";
import { account } from "../e2e/fixtures";
import { signInAs } from "../e2e/session";
import { summary } from "./stats";

const CASES = 50;
const CASE_SIZE = Number(process.env.BENCH_CASE_SIZE ?? 2048);

async function painted(page: Page) {
  return page.getByTestId("viewer").getAttribute("data-painted-case");
}

/** Frame intervals (ms) of the page while `work` runs. */
async function frameTimes(page: Page, work: () => Promise<void>): Promise<number[]> {
  await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __stop: boolean };
    w.__frames = [];
    w.__stop = false;
    const tick = (t: number) => {
      w.__frames.push(t);
      if (!w.__stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await work();
  const stamps = await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __stop: boolean };
    w.__stop = true;
    return w.__frames;
  });
  return stamps.slice(1).map((t, i) => t - stamps[i]!);
}

test("review workspace benchmark", async ({ page }, testInfo) => {
  const { db, storage } = await stackHandles();
  const tag = `bench-${Date.now()}`;
  const cases = await createReviewFixture(db, storage, { count: CASES + 4, size: CASE_SIZE, tag });
  const big = await createReviewFixture(db, storage, { count: 1, size: 3000, tag: `${tag}-pan` });

  await signInAs(page, account("RADIOLOGIST"));
  await page.goto(`/review?model=${cases.modelVersionId}`);
  await expect(page.getByTestId("viewer")).toHaveAttribute("data-painted-case", cases.imageIds[0]!, {
    timeout: 60_000,
  });
  // let the first prefetch settle, as it would while the reader looks at the first case
  await page.waitForTimeout(1500);

  await page.evaluate(() => performance.clearMarks());
  for (let i = 0; i < CASES; i++) {
    const before = await painted(page);
    await page.keyboard.press("1");
    await page.keyboard.press("Enter");
    await page.waitForFunction(
      (prev) => document.querySelector("[data-testid=viewer]")?.getAttribute("data-painted-case") !== prev,
      before,
    );
    // a reader looks at a case for seconds; 300 ms is enough for the prefetch of the next ones to proceed
    await page.waitForTimeout(300);
  }
  const keyToPaint = await page.evaluate(() => {
    const marks = performance.getEntriesByType("mark") as PerformanceMark[];
    const out: number[] = [];
    let key: number | null = null;
    for (const m of marks) {
      if (m.name === "review:key") key = m.startTime;
      else if (m.name === "review:painted" && key !== null) {
        out.push(m.startTime - key);
        key = null;
      }
    }
    return out;
  });

  await page.goto(`/review?model=${big.modelVersionId}`);
  await expect(page.getByTestId("viewer")).toHaveAttribute("data-painted-case", big.imageIds[0]!, {
    timeout: 60_000,
  });
  await expect(page.getByTestId("viewer")).toHaveAttribute("data-heatmap", /gradcam/);
  const box = (await page.getByTestId("viewer").boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const drag = async () => {
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    for (let i = 0; i < 120; i++)
      await page.mouse.move(cx + 200 * Math.sin(i / 10), cy + 150 * Math.cos(i / 13));
    await page.mouse.up();
  };
  const panFit = await frameTimes(page, drag);
  await page.keyboard.press("a"); // 1:1, the full-resolution pixels under the pointer
  await page.waitForTimeout(200);
  const panActual = await frameTimes(page, drag);

  const result = {
    browser: `chromium ${page.context().browser()?.version() ?? ""}`.trim(),
    keyToNextCasePaintedMs: { ...summary(keyToPaint), imageSize: `${CASE_SIZE}x${CASE_SIZE}` },
    panFrameMs: {
      image: "3000x3000 + Grad-CAM overlay",
      fitToScreen: summary(panFit),
      actualSize: summary(panActual),
    },
  };
  console.log(JSON.stringify(result));
  await writeFile(testInfo.outputPath("review-bench.json"), JSON.stringify(result, null, 2) + "\n");
  expect(keyToPaint.length).toBe(CASES);
  await db.$disconnect();
});
