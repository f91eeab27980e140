// The full fuzzing run of issue 12: at least 10,000 mutated files through prepareImage's decode worker.
// Prints the figures as JSON and exits non-zero unless every case was accepted or refused with a message,
// each within 2 s and with the process (main thread and worker) under 512 MB.
//   npm run fuzz -w @cxr/imaging [-- --seed 20261202 --cases 10000]
import { parseArgs } from "node:util";
import { closeDecodePool } from "../src/decode/pool";
import { runFuzz } from "../test/fuzz-run";

const { values } = parseArgs({
  options: { seed: { type: "string", default: "20261202" }, cases: { type: "string", default: "10000" } },
});
const seed = Number(values.seed);
const cases = Number(values.cases);
const figures = await runFuzz(seed, cases, (done) => {
  if (done % 500 === 0) process.stderr.write(`${done} / ${cases}\n`);
});
await closeDecodePool();
console.log(JSON.stringify(figures, null, 2));
const ok = figures.failures.length === 0 && figures.maxMs < 2000 && figures.maxRssMb < 512;
process.exit(ok ? 0 : 1);
