// `prisma generate` without network: Prisma 7's CLI insists on a schema-engine binary path it never runs
// during generate, so any existing file satisfies it.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const placeholder = fileURLToPath(import.meta.url);
execFileSync("npx", ["prisma", "generate"], {
  stdio: "inherit",
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: placeholder, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
});
