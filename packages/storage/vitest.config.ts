import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // other engineers' suites share these 2 cores
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
