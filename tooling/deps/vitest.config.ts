import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // the last test cruises the whole repository
    testTimeout: 120_000,
  },
});
