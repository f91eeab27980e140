// The pretrained backbones page in real Chromium: an admin's upload of a file that is not Keras weights is refused
// with the reason; a Keras VGG16 file (written by python3-h5py) is registered and listed as in use; a radiologist
// cannot open the page.
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import { account } from "./fixtures";
import { signInAs } from "./session";

// VGG16 without its top in Keras 2's layout, random values, written by python3-h5py (packages/ml's test script)
const writer = fileURLToPath(new URL("../../../packages/ml/test/write-keras-h5.py", import.meta.url));

test("an admin uploads Keras weights: a wrong file is refused with the reason, a VGG16 file is registered", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), "cxr-e2e-backbones-"));
  const vgg16 = path.join(dir, "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5");
  execFileSync("/usr/bin/python3", [writer, "--random", vgg16, "vgg16"]);

  await signInAs(page, account("ADMIN"));
  await page.goto("/models/backbones");
  await expect(page.getByRole("heading", { name: "Pretrained backbones" })).toBeVisible();

  const fileInput = page.getByLabel("Weight file (.h5 or .weights.h5)");
  await fileInput.setInputFiles({
    name: "notes.h5",
    mimeType: "text/plain",
    buffer: Buffer.from("not weights"),
  });
  await page.getByRole("button", { name: "Upload and register" }).click();
  // (Next's route announcer is an empty alert of its own)
  const alert = (text: string) => page.getByRole("alert").filter({ hasText: text });
  await expect(alert("notes.h5 is not an HDF5 file")).toBeVisible();
  await page.screenshot({ path: "test-results/backbones-refused.png", fullPage: true });

  await page.getByLabel("Architecture").selectOption("densenet121");
  await fileInput.setInputFiles(vgg16);
  await page.getByRole("button", { name: "Upload and register" }).click();
  await expect(alert("the file holds vgg16 weights")).toBeVisible({ timeout: 60_000 });

  await page.getByLabel("Architecture").selectOption("vgg16");
  await page.getByRole("button", { name: "Upload and register" }).click();
  await expect(page.getByRole("status").filter({ hasText: "is registered for vgg16" })).toBeVisible({
    timeout: 120_000,
  });
  const row = page.getByRole("row").filter({ hasText: "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5" });
  await expect(row).toContainText("in use");
  await page.screenshot({ path: "test-results/backbones-registered.png", fullPage: true });
});

test("a radiologist cannot open the backbones page", async ({ page }) => {
  await signInAs(page, account("RADIOLOGIST"));
  await page.goto("/models/backbones");
  await expect(page.getByRole("heading", { name: "Pretrained backbones" })).toHaveCount(0);
  await expect(page).not.toHaveURL(/\/models\/backbones/);
});
