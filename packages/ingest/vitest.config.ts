import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["../db/src/vitest-global-setup.ts"],
    // other engineers' suites share these 2 cores
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
