// The ingest CLI as a newcomer meets it: `render` needs no database, and the database commands find a running
// platform through DATA_DIR (not only the default data folder).
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { craftNativeImage } from "@cxr/imaging/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "cxr-ingest-cli-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function cli(args: string[], env: Record<string, string> = {}) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => k !== "DATABASE_URL" && k !== "DATA_DIR"),
  );
  try {
    const r = await run(process.execPath, ["--import", "tsx", "packages/ingest/src/cli.ts", ...args], {
      cwd: repoRoot,
      env: { ...clean, INIT_CWD: dir, ...env },
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("npm run ingest", () => {
  it("render writes a PNG without a database", async () => {
    await writeFile(path.join(dir, "in.dcm"), craftNativeImage(32, 24, 7));
    const r = await cli(["render", "in.dcm", "out.png", "--frame", "1"]);
    expect(r.code, r.stderr).toBe(0);
    const png = await readFile(path.join(dir, "out.png"));
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(png.readUInt32BE(16)).toBe(24); // IHDR width = Columns
  });

  it("render refuses a bad window with its usage", async () => {
    const r = await cli(["render", "in.dcm", "out.png", "--window", "wide"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--window wants CENTER,WIDTH/);
  });

  it("finds the running platform through DATA_DIR", async () => {
    const none = await cli(["report", "job-1"], { DATA_DIR: path.join(dir, "empty") });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no local platform is running/);

    // a runtime.json whose process is alive (this test's) and whose database does not answer: the CLI
    // must try that database, so the error is a connection error, not "no platform"
    const data = path.join(dir, "data");
    await rm(data, { recursive: true, force: true });
    await mkdir(data);
    await writeFile(
      path.join(data, "runtime.json"),
      JSON.stringify({
        databaseUrl: "postgresql://nobody:x@127.0.0.1:1/none",
        storageUrl: dir,
        pid: process.pid,
      }),
    );
    const found = await cli(["report", "job-1"], { DATA_DIR: data });
    expect(found.code).toBe(1);
    expect(found.stderr).not.toMatch(/no local platform is running/);
    expect(found.stderr).toMatch(/ECONNREFUSED|connect|reach/i);
  }, 60_000);
});
