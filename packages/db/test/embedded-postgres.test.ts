import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findFreePort, startEmbeddedPostgres } from "../src/embedded-postgres";

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe("an embedded PostgreSQL", () => {
  it("stops at once when Ctrl-C has stopped PostgreSQL before its owner", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "cxr-pg-stop-"));
    dirs.push(dir);
    await chmod(dir, 0o755); // as root, PostgreSQL runs as the `postgres` user, which must reach the folder
    const dataDir = path.join(dir, "data");
    const server = await startEmbeddedPostgres({
      dataDir,
      port: await findFreePort(25000 + Math.floor(Math.random() * 5000)),
      password: randomBytes(12).toString("hex"),
      ephemeral: true,
    });
    // what a terminal's Ctrl-C does to the whole process group: PostgreSQL gets SIGINT too
    const postmaster = Number((await readFile(path.join(dataDir, "postmaster.pid"), "utf8")).split("\n")[0]);
    process.kill(postmaster, "SIGINT");
    while (existsSync(path.join(dataDir, "postmaster.pid"))) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 200));

    const stopped = await Promise.race([
      server.stop().then(() => "stopped"),
      new Promise((r) => setTimeout(() => r("still waiting after 10 s"), 10_000)),
    ]);
    expect(stopped).toBe("stopped");
    expect(existsSync(dataDir)).toBe(false);
  });
});
