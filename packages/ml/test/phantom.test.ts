import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readDataset } from "../src/data/dataset";
import { readGray } from "../src/image/decode";
import { sampleAnatomy, lungField } from "../src/phantom/anatomy";
import { blobShape, blobTexture, sampleLesions } from "../src/phantom/lesions";
import { phantoms, synthesizeDataset } from "../src/phantom/synthesize";
import { createRng } from "../src/rng";

const list = (seed: number, count: number) => [...phantoms({ count, seed, size: 96 })];

describe("chest X-ray phantoms", () => {
  it("are reproducible from the seed and differ across seeds", () => {
    const a = list(3, 4);
    expect(list(3, 4).map((p) => Array.from(p.image.data.slice(0, 50)))).toEqual(
      a.map((p) => Array.from(p.image.data.slice(0, 50))),
    );
    expect(Array.from(list(4, 1)[0]!.image.data.slice(0, 50))).not.toEqual(
      Array.from(a[0]!.image.data.slice(0, 50)),
    );
  });

  it("balance classes over patients, with several images per patient", () => {
    const ps = list(5, 60);
    const patients = new Map<string, string>();
    for (const p of ps) {
      expect(patients.get(p.patientId) ?? p.label).toBe(p.label); // one class per patient
      patients.set(p.patientId, p.label);
    }
    expect(patients.size).toBeLessThan(60);
    const per = (label: string) => [...patients.values()].filter((l) => l === label).length;
    expect(Math.abs(per("normal") - per("covid-19"))).toBeLessThanOrEqual(1);
  });

  it("have empty masks for normal and lesion masks inside the lungs for the lesion classes", () => {
    for (const p of list(6, 30)) {
      const area = p.mask.data.reduce((a, v) => a + v, 0) / p.mask.data.length;
      if (p.label === "normal") expect(area).toBe(0);
      else expect(area).toBeGreaterThan(0.002);
    }
  });

  it("put COVID-19 opacities in both lungs' lower zones and pneumonia mostly in one lung", () => {
    let pneumoniaOneSided = 0;
    let pneumonia = 0;
    for (const p of [...phantoms({ count: 90, seed: 8, size: 64 })]) {
      const s = p.mask.width;
      let left = 0;
      let right = 0;
      let upper = 0;
      let rowSum = 0;
      p.mask.data.forEach((v, i) => {
        if (v === 0) return;
        if (i % s < s / 2) left++;
        else right++;
        if (Math.floor(i / s) < s * 0.35) upper++;
        rowSum += Math.floor(i / s) / s;
      });
      if (p.label === "covid-19") {
        expect(left).toBeGreaterThan(0);
        expect(right).toBeGreaterThan(0);
        // lower zones: centre of mass below the lungs' middle (about 0.47 of the height), nothing much in the top third
        expect(rowSum / (left + right)).toBeGreaterThan(0.45);
        expect(upper / (left + right)).toBeLessThan(0.05);
      }
      if (p.label === "pneumonia") {
        pneumonia++;
        if (left === 0 || right === 0) pneumoniaOneSided++;
      }
    }
    expect(pneumoniaOneSided / pneumonia).toBeGreaterThan(0.7);
  });

  it("give consolidations air bronchograms and patchy density, which leave the mask (the envelope) alone", () => {
    const rng = createRng(12);
    const anatomy = sampleAnatomy(rng);
    for (let n = 0; n < 5; n++) {
      for (const b of sampleLesions("pneumonia", anatomy, rng)) {
        expect(b.texture?.bronchi.length).toBeGreaterThanOrEqual(4);
        // the middle of a bronchus, back in image coordinates: air inside the opacity
        const s = b.texture!.bronchi[0]!;
        const [x, y] = [(s.x0 + s.x1) / 2, (s.y0 + s.y1) / 2];
        const [c, sn] = [Math.cos(b.angle), Math.sin(b.angle)];
        const u = b.cx + c * x * b.rx - sn * y * b.ry;
        const v = b.cy + sn * x * b.rx + c * y * b.ry;
        expect(blobTexture(b, u, v)).toBeLessThan(1 - s.depth * 0.9 + 0.3);
        expect(blobShape({ ...b, texture: undefined }, u, v)).toBe(blobShape(b, u, v));
      }
    }
    for (const b of sampleLesions("covid-19", anatomy, rng)) expect(blobTexture(b, b.cx, b.cy)).toBe(1);
  });

  it("anatomy: the lung field is dark space inside the body, absent outside", () => {
    const a = sampleAnatomy(createRng(1));
    expect(lungField(a, a.lungs[0].cx, a.lungs[0].cy)).toBeGreaterThan(0.9);
    expect(lungField(a, 0.02, 0.02)).toBe(0);
  });

  it("are written in the layout the CLI reads", async () => {
    const dir = await mkdtemp(join(tmpdir(), "phantoms-"));
    try {
      const records = await synthesizeDataset(dir, { count: 7, seed: 2, size: 64 });
      const csv = await readFile(join(dir, "labels.csv"), "utf8");
      expect(csv.split("\n")[0]).toBe("file,label,patient_id");
      expect((await readdir(join(dir, "images"))).length).toBe(7);
      expect((await readdir(join(dir, "masks"))).length).toBe(7);
      const rows = await readDataset(dir);
      expect(rows.map((r) => r.label)).toEqual(records.map((r) => r.label));
      expect(rows.every((r) => r.maskPath)).toBe(true);
      const img = await readGray(rows[0]!.path);
      expect([img.width, img.height]).toEqual([64, 64]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
