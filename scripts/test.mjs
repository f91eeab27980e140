// npm test: every check of every workspace: lint and types, then unit, integration (real PostgreSQL) and
// end-to-end (Playwright in Debian's Chromium) tests, one workspace at a time on these 2-core machines.
// The system tools they need (Chromium, DCMTK, Orthanc...) are checked first: see system-deps.mjs.
import { ensureInstalled, turbo } from "./ensure-install.mjs";
import { ensureSystemPackages } from "./system-deps.mjs";

ensureSystemPackages();
ensureInstalled();
turbo(["run", "lint", "typecheck", "--output-logs=errors-only"]);
turbo(["run", "test", "--concurrency=1", "--continue"]);
