// The review workspace's browser benchmark (`npm run bench:review -w @cxr/web`): the e2e stack and browser,
// only the *.bench.ts files, and time enough for fixtures of full-size images. Not part of `npm test`.
import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

export default defineConfig({
  ...base,
  testDir: "./bench",
  // only the browser benchmark: queue.bench.ts and load.ts are plain scripts (npm run bench:queue / load:review)
  testMatch: /review\.bench\.ts$/,
  timeout: 600_000,
  reporter: [["list"]],
  use: { ...base.use, viewport: { width: 1600, height: 1000 }, trace: "off", screenshot: "off" },
});
