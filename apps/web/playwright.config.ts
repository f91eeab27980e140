import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { seedPasswords, storageDir } from "./e2e/fixtures";

// A fresh data folder (embedded PostgreSQL, secrets) per run. Playwright loads this file again in each
// worker: the variable keeps them all on the runner's folder, and only the runner removes it at exit,
// after the stack has stopped.
const inherited = process.env.CXR_E2E_DATA_DIR;
const dataDir = inherited ?? mkdtempSync(path.join(os.tmpdir(), "cxr-e2e-"));
if (!inherited) {
  // as root, PostgreSQL runs as the `postgres` user, which must be able to enter mkdtemp's 0700 folder
  chmodSync(dataDir, 0o755);
  process.env.CXR_E2E_DATA_DIR = dataDir;
  process.on("exit", () => rmSync(dataDir, { recursive: true, force: true }));
}

// E2E_PORT_BASE moves both ports, so two checkouts can run their browser tests at once
const PORT_BASE = Number(process.env.E2E_PORT_BASE ?? 3100);
const WEB_PORT = PORT_BASE;
const INFERENCE_PORT = PORT_BASE + 1000;

export default defineConfig({
  testDir: "./e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    // localhost, not 127.0.0.1: NEXTAUTH_URL uses it, and next-auth's CSRF cookie is bound to that origin
    baseURL: `http://localhost:${WEB_PORT}`,
    browserName: "chromium",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      // Debian's Chromium: `npx playwright install` cannot download browsers here
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  webServer: {
    // database, migrations, seed, inference service and `next start` (needs a prior `next build`)
    command: "node --import tsx ../../scripts/stack.ts",
    url: `http://localhost:${WEB_PORT}/api/health`,
    timeout: 180_000,
    reuseExistingServer: false,
    // SIGTERM lets the stack stop PostgreSQL and its children instead of leaving them orphaned
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    stdout: "pipe",
    stderr: "pipe",
    env: {
      DATA_DIR: dataDir,
      WEB_PORT: String(WEB_PORT),
      INFERENCE_PORT: String(INFERENCE_PORT),
      // away from a developer's running stack (5433 by default)
      EMBEDDED_PG_PORT: String(20000 + Math.floor(Math.random() * 10000)),
      SEED_ADMIN_PASSWORD: seedPasswords.ADMIN,
      SEED_RADIOLOGIST_PASSWORD: seedPasswords.RADIOLOGIST,
      SEED_ANNOTATOR_PASSWORD: seedPasswords.ANNOTATOR,
      // uploads land in the run's folder (the upload tests look inside it), not in a developer's store
      STORAGE_URL: storageDir(dataDir),
      // the tests make their own fixtures; the demo's background training would only compete for the CPU
      // (and slow /api/health's inference probe past its timeout)
      DEMO: "off",
    },
  },
});
