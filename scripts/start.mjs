// npm start: install what is missing, build what changed (turbo's cache makes a second start quick),
// then run the platform (tooling/stack).
import { spawn } from "node:child_process";
import { ensureInstalled, repoRoot, turbo } from "./ensure-install.mjs";

ensureInstalled();
turbo(["run", "build", "--output-logs=errors-only"]);

const stack = spawn(process.execPath, ["--import", "tsx", "scripts/stack.ts"], {
  cwd: repoRoot,
  stdio: "inherit",
});
// Ctrl-C reaches the stack directly (same terminal); this process only waits for it to finish stopping.
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => stack.kill(sig));
stack.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
