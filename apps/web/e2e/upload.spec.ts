import { createHash } from "node:crypto";
import { readdir } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import sharp from "sharp";
import { account, storageDir } from "./fixtures";
import { signInAs } from "./session";

/** A small grey PNG whose pixels depend on `seed`, so each test image has its own bytes. */
async function png(seed: number): Promise<Buffer> {
  const width = 64;
  const height = 48;
  const pixels = Buffer.alloc(width * height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7 + seed * 31) % 256;
  return sharp(pixels, { raw: { width, height, channels: 1 } })
    .png()
    .toBuffer();
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** Object names in the stack's storage folder (temporary files excluded). */
async function storedObjects(): Promise<string[]> {
  const dataDir = process.env.CXR_E2E_DATA_DIR;
  if (!dataDir) throw new Error("CXR_E2E_DATA_DIR is set by playwright.config.ts");
  try {
    const entries = await readdir(storageDir(dataDir), { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile() && !e.parentPath.includes(`${path.sep}.tmp`)).map((e) => e.name);
  } catch {
    return [];
  }
}

const uploadRow = (page: Page, name: string) =>
  page.getByRole("list", { name: "Uploads" }).getByRole("listitem").filter({ hasText: name });

const stat = (page: Page, label: string) => page.locator(".cxr-stat").filter({ hasText: label });

test("a radiologist uploads a valid PNG, a corrupt PNG and a text file named .dcm", async ({ page }) => {
  const valid = await png(1);
  const corrupt = (await png(2)).subarray(0, 120);
  const text = Buffer.from("Patient notes, not an image.\n");

  await signInAs(page, account("RADIOLOGIST"));
  // the count before (other specs share the stack's database and may have uploaded already)
  await page.goto("/imports");
  const countBefore = stat(page, "Uploaded from the browser").locator("dd");
  await expect(countBefore).toHaveText(/^\d+$/);
  const uploadedBefore = Number(await countBefore.textContent());
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Upload" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Upload" })).toBeVisible();

  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Choose files" }).click();
  await (
    await chooser
  ).setFiles([
    { name: "valid.png", mimeType: "image/png", buffer: valid },
    { name: "corrupt.png", mimeType: "image/png", buffer: corrupt },
    { name: "notes.dcm", mimeType: "application/dicom", buffer: text },
  ]);

  await expect(page.getByTestId("upload-summary")).toHaveText(
    "3 files: 1 imported, 0 already stored, 2 rejected.",
  );
  await expect(uploadRow(page, "valid.png")).toContainText("Imported");
  await expect(uploadRow(page, "corrupt.png")).toContainText("Rejected");
  await expect(uploadRow(page, "corrupt.png")).toContainText(/corrupt\.png: .*truncated or damaged/);
  await expect(uploadRow(page, "notes.dcm")).toContainText(
    "notes.dcm: named .dcm but the content is text, not DICOM",
  );

  // nothing of the rejected files reached storage; the valid one is stored under its hash. (Other services
  // share the folder, so only these objects are checked; the exact counts are in test/upload.test.ts.)
  const objects = await storedObjects();
  expect(objects).toContain(sha256(valid));
  expect(objects).not.toContain(sha256(corrupt));
  expect(objects).not.toContain(sha256(text));

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Imports" }).click();
  // (only the upload count is exact: other services may add images to the archive while the stack runs)
  await expect(stat(page, "Uploaded from the browser").locator("dd")).toHaveText(String(uploadedBefore + 1));
  await expect(
    page.getByRole("table", { name: "Import jobs" }).or(page.getByText("No imports yet")),
  ).toBeVisible();
});

test("a file dropped on the drop zone is uploaded with its progress and result", async ({ page }) => {
  await signInAs(page, account("ADMIN"));
  await page.goto("/upload");
  const bytes = [...(await png(3))];
  const dataTransfer = await page.evaluateHandle((content) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(content)], "dropped.png", { type: "image/png" }));
    return transfer;
  }, bytes);
  await page.getByRole("group", { name: "Upload images" }).dispatchEvent("drop", { dataTransfer });
  await expect(uploadRow(page, "dropped.png")).toContainText("Imported");
  await expect(page.getByTestId("upload-summary")).toHaveText(
    "1 file: 1 imported, 0 already stored, 0 rejected.",
  );
});

test("an annotator is refused: no Upload link, /upload sends them home, the API answers 403", async ({
  page,
}) => {
  const signedOut = await page.request.post("/api/upload", {
    multipart: { file: { name: "a.png", mimeType: "image/png", buffer: await png(4) } },
  });
  expect(signedOut.status()).toBe(401);

  await signInAs(page, account("ANNOTATOR"));
  await expect(
    page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Upload" }),
  ).toHaveCount(0);
  await page.goto("/upload");
  await expect(page).toHaveURL("/tasks");
  await page.goto("/imports");
  await expect(page).toHaveURL("/tasks");

  const res = await page.request.post("/api/upload", {
    multipart: { file: { name: "a.png", mimeType: "image/png", buffer: await png(4) } },
  });
  expect(res.status()).toBe(403);
  expect(await res.json()).toEqual({ error: "Your role does not allow uploading images." });
  expect((await page.request.get("/api/trpc/imports.list")).status()).toBe(403);
});

/**
 * An upload request that takes one of the server's upload slots and holds it: its multipart body is started
 * and left open until `finish()`. Sent from Node with the page's session cookie, as a second browser would,
 * on a connection of its own (a pooled keep-alive socket the server has just closed would lose the request).
 */
async function heldUpload(page: Page) {
  const url = new URL("/api/upload", page.url());
  const cookie = (await page.context().cookies(url.origin)).map((c) => `${c.name}=${c.value}`).join("; ");
  const boundary = "held-upload";
  const request = http.request(url, {
    method: "POST",
    agent: false,
    headers: { cookie, origin: url.origin, "content-type": `multipart/form-data; boundary=${boundary}` },
  });
  let early: number | null = null;
  const answered = new Promise<number>((resolve, reject) => {
    request.on("response", (res) => {
      res.resume();
      early = res.statusCode ?? 0;
      resolve(early);
    });
    request.on("error", reject);
  });
  request.write(
    `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="held.png"\r\n\r\nnot an image yet `,
  );
  return {
    /** answered before its body ended: it found both slots taken (by a probe) and holds none */
    answeredEarly: () => early !== null,
    finish: async () => (request.end(`\r\n--${boundary}--\r\n`), await answered),
  };
}

test("a file sent while the server is busy waits for Retry-After, then is stored; no body is left on disk", async ({
  page,
}) => {
  test.setTimeout(60_000);
  await signInAs(page, account("RADIOLOGIST"));
  await page.goto("/upload");
  // two uploads in progress elsewhere take the server's two slots. A probe that reaches the server between them
  // takes a slot for a moment, and the second is then told to come back (429): such a one is sent again.
  const held: Awaited<ReturnType<typeof heldUpload>>[] = [];
  await expect
    .poll(async () => {
      for (const [i, h] of held.entries()) if (h.answeredEarly()) held[i] = await heldUpload(page);
      while (held.length < 2) held.push(await heldUpload(page));
      const probe = await page.request.post("/api/upload", {
        headers: { origin: new URL(page.url()).origin },
        multipart: { file: { name: "probe.png", mimeType: "image/png", buffer: await png(30) } },
      });
      return [probe.status(), probe.headers()["retry-after"]];
    })
    .toEqual([429, "5"]);

  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Choose files" }).click();
  await (await chooser).setFiles([{ name: "busy.png", mimeType: "image/png", buffer: await png(31) }]);
  await expect(uploadRow(page, "busy.png")).toContainText("Server busy · retry in 5 s");
  await expect(uploadRow(page, "busy.png")).toContainText(
    "The server is busy with other uploads. This file is sent again in 5 s.",
  );
  await page.screenshot({ path: test.info().outputPath("upload-busy.png") });

  // the other uploads end (their bytes are no image: answered 200 with a rejection), the file goes through
  expect(await Promise.all(held.map((h) => h.finish()))).toEqual([200, 200]);
  await expect(uploadRow(page, "busy.png")).toContainText("Imported", { timeout: 20_000 });
  const dataDir = process.env.CXR_E2E_DATA_DIR ?? "";
  expect(await readdir(path.join(dataDir, "uploads"))).toEqual([]);
});
