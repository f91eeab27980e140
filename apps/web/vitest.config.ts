import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  // Next.js keeps JSX for its own compiler (tsconfig "preserve"); the hook tests need it compiled
  oxc: { jsx: { runtime: "automatic" } },
  resolve: {
    alias: {
      "~": fileURLToPath(new URL("./src", import.meta.url)),
      // the marker package throws outside React's server build; tests run the server code directly
      "server-only": fileURLToPath(new URL("./test/server-only.ts", import.meta.url)),
    },
  },
  test: {
    environment: "node",
    include: ["test/**/*.test.{ts,tsx}"],
    // one PostgreSQL server for the run (embedded unless TEST_DATABASE_URL is set); a database per test file
    globalSetup: [require.resolve("@cxr/db/vitest-global-setup")],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
