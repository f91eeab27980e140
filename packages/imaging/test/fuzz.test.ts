// A slice of the fuzzing run of issue 12 (the full run: `npm run fuzz -w @cxr/imaging`): mutated real and
// generated files through prepareImage's decode worker; none may crash, each is accepted or refused with a
// message within 2 s, and the process (main thread and worker together) stays under 512 MB.
import { describe, expect, it } from "vitest";
import { mutations } from "./fuzz-corpus";
import { runFuzz } from "./fuzz-run";

describe("fuzzing prepareImage", () => {
  it("400 mutated files: no failure, every file accepted or refused with a message, each within 2 s and 512 MB", async () => {
    const figures = await runFuzz(20261202, 400);
    console.log(`fuzz slice: ${JSON.stringify(figures)}`);
    expect(figures.failures).toEqual([]);
    expect(figures.accepted + figures.refused).toBe(400);
    expect(figures.maxMs).toBeLessThan(2000);
    expect(figures.maxRssMb).toBeLessThan(512);
    // the slice exercises every mutation, and both outcomes
    for (const m of mutations)
      expect(figures.byMutation[m].accepted + figures.byMutation[m].refused, m).toBeGreaterThan(0);
    expect(figures.accepted).toBeGreaterThan(0);
    expect(figures.refused).toBeGreaterThan(0);
  });
});
