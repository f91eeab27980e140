import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // one PostgreSQL server per run; each test file makes its own database on it
    globalSetup: ["../../packages/db/src/vitest-global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
