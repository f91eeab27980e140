// The browser-facing protections on the live app: security headers on pages and the API, HSTS only over
// https, a cross-site upload refused, and patient images never stored by the browser.
import { expect, test } from "@playwright/test";
import { type Db } from "@cxr/db";
import { createReviewFixture } from "../test/review-fixtures";
import { account } from "./fixtures";
import { stackHandles } from "./review-stack";
import { signInAs } from "./session";

test("every response carries the security headers; HSTS only when served over https", async ({
  page,
  request,
}) => {
  const signin = await page.goto("/signin");
  const headers = signin!.headers();
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["content-security-policy"]).toContain("img-src 'self' blob: data:");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("same-origin");
  expect(headers["strict-transport-security"]).toBeUndefined();
  // the page works under its policy: the form is there and nothing was refused on the way
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();

  const api = await request.get("/api/health");
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");
  expect(api.headers()["content-security-policy"]).toBeDefined();
  const https = await request.get("/api/health", { headers: { "x-forwarded-proto": "https" } });
  expect(https.headers()["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
});

test("an upload posted from another site is refused with 403", async ({ page }) => {
  await signInAs(page, account("RADIOLOGIST"));
  const res = await page.request.post("/api/upload", {
    headers: { origin: "https://evil.example" },
    multipart: { files: { name: "x.png", mimeType: "image/png", buffer: Buffer.from([1, 2, 3]) } },
  });
  expect(res.status()).toBe(403);
  const sameSite = await page.request.post("/api/upload", {
    headers: { origin: new URL(page.url()).origin },
    multipart: { files: { name: "x.png", mimeType: "image/png", buffer: Buffer.from([1, 2, 3]) } },
  });
  expect(sameSite.status()).not.toBe(403);
});

test("patient images are served private, no-store", async ({ page }) => {
  let db: Db | undefined;
  try {
    const handles = await stackHandles();
    db = handles.db;
    const fx = await createReviewFixture(db, handles.storage, {
      count: 1,
      size: 32,
      tag: `e2e-sec-${Date.now()}`,
    });
    await signInAs(page, account("RADIOLOGIST"));
    const res = await page.request.get(`/api/objects/images/${fx.imageIds[0]}/preview`);
    expect(res.status()).toBe(200);
    expect(res.headers()["cache-control"]).toBe("private, no-store");
    expect(res.headers()["etag"]).toBeUndefined();
  } finally {
    await db?.$disconnect();
  }
});
