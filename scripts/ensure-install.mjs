// Installs the dependencies when they are missing or older than package-lock.json (plain Node: runs before
// anything is installed). The stamp holds the lockfile's hash at the last successful install.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: "inherit", ...options });
  if (result.status !== 0) {
    console.error(`\n${command} ${args.join(" ")} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status || 1);
  }
}

export function ensureInstalled() {
  const lock = path.join(repoRoot, "package-lock.json");
  const stamp = path.join(repoRoot, "node_modules", ".cxr-install-stamp");
  const hash = createHash("sha256").update(readFileSync(lock)).digest("hex");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === hash) return;
  const fresh = !existsSync(path.join(repoRoot, "node_modules"));
  console.log(fresh ? "Installing dependencies (npm ci)..." : "package-lock.json changed: npm install...");
  run("npm", fresh ? ["ci", "--no-audit", "--no-fund"] : ["install", "--no-audit", "--no-fund"]);
  writeFileSync(stamp, hash);
}

/** turbo, without telemetry (it would try the network) */
export function turbo(args) {
  run(path.join(repoRoot, "node_modules", ".bin", "turbo"), args, {
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" },
  });
}
