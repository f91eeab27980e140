// Runs fuzz cases through the upload's entry point (prepareImage, in its decode worker) one at a time and
// keeps the figures: each case must be accepted or refused with a message (anything else is a failure), and
// the time and the process's memory (main thread and worker together, sampled every 5 ms) are recorded.
import { describeError, RejectedFileError } from "../src/errors";
import { prepareImage } from "../src/prepare";
import { craftNativeImage } from "../src/dicom/craft";
import { fuzzCase, layoutsOf, mutations, seedFiles, type Mutation } from "./fuzz-corpus";

export interface FuzzFigures {
  seed: number;
  cases: number;
  seedFiles: number;
  accepted: number;
  refused: number;
  /** neither accepted nor refused with a message: must stay empty */
  failures: { case: string; error: string }[];
  refusedByCode: Record<string, number>;
  byMutation: Record<Mutation, { accepted: number; refused: number }>;
  maxMs: number;
  slowest: string;
  meanMs: number;
  /** process resident memory with the worker started, before the first case */
  idleRssMb: number;
  maxRssMb: number;
  maxRssCase: string;
  wallSeconds: number;
}

export async function runFuzz(
  seed: number,
  count: number,
  onProgress?: (done: number) => void,
): Promise<FuzzFigures> {
  const seeds = await seedFiles();
  const layouts = layoutsOf(seeds);
  await prepareImage(craftNativeImage(8, 8, 0), "warm-up.dcm"); // the worker's start is not a case's time
  const figures: FuzzFigures = {
    seed,
    cases: count,
    seedFiles: seeds.length,
    accepted: 0,
    refused: 0,
    failures: [],
    refusedByCode: {},
    byMutation: Object.fromEntries(
      mutations.map((m) => [m, { accepted: 0, refused: 0 }]),
    ) as FuzzFigures["byMutation"],
    maxMs: 0,
    slowest: "",
    meanMs: 0,
    idleRssMb: Math.round(process.memoryUsage.rss() / 2 ** 20),
    maxRssMb: 0,
    maxRssCase: "",
    wallSeconds: 0,
  };
  let caseRss = 0;
  const sampler = setInterval(() => {
    caseRss = Math.max(caseRss, process.memoryUsage.rss());
  }, 5);
  const started = performance.now();
  let totalMs = 0;
  try {
    for (let i = 0; i < count; i++) {
      const fuzz = fuzzCase(seeds, layouts, seed, i);
      caseRss = process.memoryUsage.rss();
      const t0 = performance.now();
      try {
        await prepareImage(fuzz.bytes, fuzz.name);
        figures.accepted += 1;
        figures.byMutation[fuzz.mutation].accepted += 1;
      } catch (error) {
        if (error instanceof RejectedFileError && error.message.trim().length > 0) {
          figures.refused += 1;
          figures.byMutation[fuzz.mutation].refused += 1;
          figures.refusedByCode[error.code] = (figures.refusedByCode[error.code] ?? 0) + 1;
        } else {
          figures.failures.push({ case: fuzz.name, error: describeError(error) });
        }
      }
      const ms = performance.now() - t0;
      totalMs += ms;
      caseRss = Math.max(caseRss, process.memoryUsage.rss());
      if (ms > figures.maxMs) {
        figures.maxMs = Math.round(ms);
        figures.slowest = fuzz.name;
      }
      const rssMb = Math.round(caseRss / 2 ** 20);
      if (rssMb > figures.maxRssMb) {
        figures.maxRssMb = rssMb;
        figures.maxRssCase = fuzz.name;
      }
      onProgress?.(i + 1);
    }
  } finally {
    clearInterval(sampler);
  }
  figures.meanMs = Math.round((totalMs / count) * 10) / 10;
  figures.wallSeconds = Math.round((performance.now() - started) / 1000);
  return figures;
}
