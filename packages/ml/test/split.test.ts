import { describe, expect, it } from "vitest";
import { partition, splitByPatient } from "../src/data/split";

/** 60 patients with 1-3 images each; classes in the ratio 3:2:1. */
function rows() {
  const out: { patientId: string; label: string; file: string }[] = [];
  for (let p = 0; p < 60; p++) {
    const label = p % 6 < 3 ? "normal" : p % 6 < 5 ? "pneumonia" : "covid-19";
    for (let i = 0; i <= p % 3; i++) out.push({ patientId: `p${p}`, label, file: `p${p}_${i}.png` });
  }
  return out;
}

describe("patient-level stratified split", () => {
  const data = rows();

  it("never puts a patient on two sides and covers every patient", () => {
    const s = splitByPatient(data);
    const all = [...s.train, ...s.val, ...s.test];
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(60);
    const parts = partition(data, s);
    expect(parts.train.length + parts.val.length + parts.test.length).toBe(data.length);
    const testPatients = new Set(parts.test.map((r) => r.patientId));
    expect(parts.train.some((r) => testPatients.has(r.patientId))).toBe(false);
  });

  it("holds out 20% of each class's patients (stratified), 10% of the rest for validation", () => {
    const s = splitByPatient(data);
    const cls = (p: string) => data.find((r) => r.patientId === p)?.label;
    const count = (ids: string[], label: string) => ids.filter((p) => cls(p) === label).length;
    expect(count(s.test, "normal")).toBe(6); // 30 patients
    expect(count(s.test, "pneumonia")).toBe(4); // 20
    expect(count(s.test, "covid-19")).toBe(2); // 10
    expect(s.val.length).toBe(5); // round(24*.1) + round(16*.1) + round(8*.1) = 2 + 2 + 1
    expect(s.seed).toBe(42);
  });

  it("is reproducible for a seed, independent of row order, and differs across seeds", () => {
    const a = splitByPatient(data, { seed: 42 });
    expect(splitByPatient([...data].reverse(), { seed: 42 })).toEqual(a);
    expect(splitByPatient(data, { seed: 7 }).test).not.toEqual(a.test);
  });

  it("keeps locked test patients in test when new patients arrive", () => {
    const first = splitByPatient(data, { seed: 1 });
    const more = [
      ...data,
      ...Array.from({ length: 12 }, (_, i) => ({ patientId: `n${i}`, label: "covid-19", file: `n${i}.png` })),
    ];
    const second = splitByPatient(more, {
      seed: 99,
      lockedTest: first.test,
      seen: [...first.train, ...first.val],
    });
    for (const p of first.test) expect(second.test).toContain(p);
    expect(second.train.some((p) => first.test.includes(p))).toBe(false);
    // nobody trained on before moves into test (that would leak)
    expect(second.test.filter((p) => !p.startsWith("n")).sort()).toEqual([...first.test].sort());
    // new covid-19 patients still get their share: 22 covid-19 patients * 0.2 = 4 in test, 2 of them locked
    expect(second.test.filter((p) => p.startsWith("n")).length).toBe(2);
  });
});
