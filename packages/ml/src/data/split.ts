// Patient-level, class-stratified, seeded split (the report's 80:20 with seed 42) with a locked test set:
// patients once in test stay there, and no patient's images are ever on two sides.
import { z } from "zod";
import { createRng, shuffled } from "../rng";

export const dataSplitSchema = z.object({
  seed: z.number().int(),
  testFraction: z.number().min(0).max(1),
  valFraction: z.number().min(0).max(1),
  train: z.array(z.string()),
  val: z.array(z.string()),
  test: z.array(z.string()),
});
export type DataSplit = z.infer<typeof dataSplitSchema>;

export interface SplitOptions {
  /** share of patients held out as the locked test set (default 0.2) */
  testFraction?: number;
  /** share of the remaining patients used for per-epoch validation (default 0.1) */
  valFraction?: number;
  seed?: number;
  /** test patients of an earlier split: they stay in test */
  lockedTest?: readonly string[];
  /** patients an earlier model trained or validated on: never moved into test (that would leak) */
  seen?: readonly string[];
}

/** The label that stands for a patient when stratifying: the most frequent one, ties to the first seen. */
function patientStrata(rows: readonly { patientId: string; label: string }[]): Map<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const c = counts.get(r.patientId) ?? new Map<string, number>();
    c.set(r.label, (c.get(r.label) ?? 0) + 1);
    counts.set(r.patientId, c);
  }
  const strata = new Map<string, string>();
  for (const [patient, c] of counts) {
    let best = "";
    let bestCount = -1;
    for (const [label, n] of c) if (n > bestCount) [best, bestCount] = [label, n];
    strata.set(patient, best);
  }
  return strata;
}

export function splitByPatient(
  rows: readonly { patientId: string; label: string }[],
  options: SplitOptions = {},
): DataSplit {
  const testFraction = options.testFraction ?? 0.2;
  const valFraction = options.valFraction ?? 0.1;
  const seed = options.seed ?? 42;
  const rng = createRng(seed);
  const strata = patientStrata(rows);
  const locked = new Set((options.lockedTest ?? []).filter((p) => strata.has(p)));
  const seen = new Set(options.seen ?? []);
  const byStratum = new Map<string, string[]>();
  // sorted first so the result depends on the patients and the seed, not on row order
  for (const patient of [...strata.keys()].sort()) {
    const s = strata.get(patient) as string;
    byStratum.set(s, [...(byStratum.get(s) ?? []), patient]);
  }
  const split: DataSplit = { seed, testFraction, valFraction, train: [], val: [], test: [...locked].sort() };
  for (const stratum of [...byStratum.keys()].sort()) {
    const patients = byStratum.get(stratum) ?? [];
    const lockedHere = patients.filter((p) => locked.has(p)).length;
    const free = shuffled(
      patients.filter((p) => !locked.has(p)),
      rng,
    );
    const nTest = Math.max(0, Math.round(patients.length * testFraction) - lockedHere);
    const eligible = free.filter((p) => !seen.has(p));
    const newTest = new Set(eligible.slice(0, nTest));
    split.test.push(...newTest);
    const rest = free.filter((p) => !newTest.has(p));
    const nVal = Math.round(rest.length * valFraction);
    split.val.push(...rest.slice(0, nVal));
    split.train.push(...rest.slice(nVal));
  }
  split.test.sort();
  split.val.sort();
  split.train.sort();
  return split;
}

/** Which side of the split each row falls on. */
export function partition<T extends { patientId: string }>(rows: readonly T[], split: DataSplit) {
  const side = new Map<string, "train" | "val" | "test">();
  for (const p of split.train) side.set(p, "train");
  for (const p of split.val) side.set(p, "val");
  for (const p of split.test) side.set(p, "test");
  return {
    train: rows.filter((r) => side.get(r.patientId) === "train"),
    val: rows.filter((r) => side.get(r.patientId) === "val"),
    test: rows.filter((r) => side.get(r.patientId) === "test"),
  };
}
