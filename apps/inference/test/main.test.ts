import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
// tsx's own CLI, as `npm start` runs it; not via npx/npm, which do not pass SIGTERM on to their child
const tsxCli = createRequire(import.meta.url).resolve("tsx/cli");

const children: ReturnType<typeof spawn>[] = [];
// a failed assertion must not leave a server running
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

/** Runs `tsx src/main.ts` with only the given variables besides PATH. */
function start(env: Record<string, string>) {
  const child = spawn(process.execPath, [tsxCli, "src/main.ts"], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

describe("main.ts", () => {
  it("listens, serves, and exits 0 on SIGTERM", async () => {
    const proc = start({
      INFERENCE_TOKEN: "main-test-token-0123456789",
      INFERENCE_PORT: "0",
      ML_BACKEND: "cpu",
    });
    const line = /inference listening on http:\/\/127\.0\.0\.1:(\d+) \(backend: cpu\)/;
    const deadline = Date.now() + 20_000;
    while (!line.test(proc.output().stdout) && proc.child.exitCode === null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const port = line.exec(proc.output().stdout)?.[1];
    expect(port, JSON.stringify(proc.output())).toBeDefined();
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    expect(await res.json()).toEqual({ ok: true, backend: "cpu" });
    proc.child.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
  }, 30_000);

  it("exits 1 with one readable line when the environment is invalid", async () => {
    const proc = start({ INFERENCE_TOKEN: "short" });
    expect(await proc.exited).toBe(1);
    const { stderr } = proc.output();
    expect(stderr.trim()).toMatch(/^Invalid environment: INFERENCE_TOKEN must be set/);
    expect(stderr.trim().split("\n")).toHaveLength(1);
  }, 30_000);
});
