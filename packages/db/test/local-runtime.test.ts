// A running platform is found by its process id; a process of another user must count as alive (kill(pid, 0)
// answers EPERM for it), or the CLI would think the platform gone and an import job's owner dead.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isProcessAlive } from "../src/local-runtime";

const source = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../src/local-runtime.ts");

describe("isProcessAlive", () => {
  it("is true for this process and false for a pid that does not exist", () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    expect(isProcessAlive(2 ** 22 + 12345)).toBe(false);
  });

  it("is true for another user's process (EPERM)", () => {
    const probe = `import(${JSON.stringify(source)}).then((m) => console.log(m.isProcessAlive(${process.pid})))`;
    const args = ["--import", "tsx", "-e", probe];
    // as root, ask as an unprivileged user about this (root's) process; as anyone else, this process asks
    // about init's (pid 1, root's)
    const answer =
      process.getuid?.() === 0
        ? execFileSync(process.execPath, args, {
            uid: 65534,
            gid: 65534,
            cwd: path.dirname(source),
            encoding: "utf8",
          }).trim()
        : String(isProcessAlive(1));
    expect(answer).toBe("true");
  });
});
