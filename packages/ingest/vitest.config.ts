import { serialSuite } from "@cxr/tsconfig/vitest-serial.mjs";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: { ...serialSuite(120_000), globalSetup: ["../db/src/vitest-global-setup.ts"] },
});
