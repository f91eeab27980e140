// The crafted files of issue 12 (frames that claim far more pixels than their DICOM header), each prepared in
// its own process through the public entry point (prepareImage, in its decode worker), with the time and the
// process's peak memory (main thread and worker) reported as JSON.
// A watchdog stops a case at 60 s or 4 GiB so a regression cannot take the machine down.
//   npx tsx scripts/crafted-files.ts
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { craftNativeImage } from "../src/dicom/craft";
import { describeError, RejectedFileError } from "../src/errors";
import { prepareImage } from "../src/prepare";
import { craftedCases } from "../test/crafted-cases";

const caseName = process.argv[2];

if (caseName) {
  const crafted = craftedCases().find((c) => c.name === caseName);
  if (!crafted) throw new Error(`no case ${caseName}`);
  // the worker's start (about a second) is reported apart from the case's own time
  const warming = performance.now();
  await prepareImage(craftNativeImage(8, 8, 0), "warm-up.dcm");
  const workerStartMs = Math.round(performance.now() - warming);
  const started = performance.now();
  let outcome: string;
  let message = "";
  try {
    const prepared = await prepareImage(crafted.bytes, "crafted.dcm");
    outcome = `accepted as ${prepared.frames.map((f) => `${f.width} x ${f.height}`).join(", ")}`;
  } catch (error) {
    outcome = error instanceof RejectedFileError ? `refused (${error.code})` : "failed";
    message = describeError(error);
  }
  const ms = Math.round(performance.now() - started);
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(
    JSON.stringify({
      case: caseName,
      fileBytes: crafted.bytes.length,
      outcome,
      message,
      ms,
      workerStartMs,
      peakRssMb,
    }),
  );
  process.exit(0);
} else {
  const self = fileURLToPath(import.meta.url);
  for (const { name } of craftedCases()) {
    const child = spawn(process.execPath, [...process.execArgv, self, name], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    let peakMb = 0;
    let stopped = "";
    const started = Date.now();
    const watch = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
        const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
        peakMb = Math.max(peakMb, rss);
        if (rss > 4096) stopped = "stopped by the watchdog at 4 GiB";
      } catch {
        // the child has exited
      }
      if (Date.now() - started > 60_000) stopped = "stopped by the watchdog at 60 s";
      if (stopped) child.kill("SIGKILL");
    }, 20);
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    clearInterval(watch);
    const line = out.trim().split("\n").pop();
    console.log(
      stopped || !line
        ? JSON.stringify({
            case: name,
            outcome: stopped || `exited with ${code}`,
            ms: Date.now() - started,
            peakRssMb: Math.round(peakMb),
          })
        : line,
    );
  }
}
