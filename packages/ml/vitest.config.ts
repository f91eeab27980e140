import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // another engineer's suites share these 2 cores; wasm is single-threaded anyway
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
