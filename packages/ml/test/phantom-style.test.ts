import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readDataset } from "../src/data/dataset";
import { readGray } from "../src/image/decode";
import { phantoms, synthesizeDataset } from "../src/phantom/synthesize";

const mean = (d: Float32Array) => d.reduce((a, v) => a + v, 0) / d.length;

describe("phantom styles", () => {
  it("leave the classic generator as it was: the default style draws the same images", () => {
    const plain = [...phantoms({ count: 4, seed: 3, size: 48 })];
    const classic = [...phantoms({ count: 4, seed: 3, size: 48, style: "classic" })];
    expect(classic.map((p) => Array.from(p.image.data))).toEqual(plain.map((p) => Array.from(p.image.data)));
    expect(plain.every((p) => p.style === "classic" && p.bits === 8)).toBe(true);
  });

  it("draw the alternate style reproducibly, in other sizes and another look, with lesion masks", () => {
    const draw = () => [...phantoms({ count: 18, seed: 5, size: 64, style: "alternate" })];
    const a = draw();
    expect(draw().map((p) => Array.from(p.image.data.slice(0, 64)))).toEqual(
      a.map((p) => Array.from(p.image.data.slice(0, 64))),
    );
    // portrait images of several sizes around the requested one
    const sizes = new Set(a.map((p) => `${p.image.width}x${p.image.height}`));
    expect(sizes.size).toBeGreaterThan(5);
    for (const p of a) {
      expect(p.image.height).toBeGreaterThanOrEqual(p.image.width);
      expect([p.mask.width, p.mask.height]).toEqual([p.image.width, p.image.height]);
      const area = mean(p.mask.data);
      if (p.label === "normal") expect(area).toBe(0);
      else expect(area).toBeGreaterThan(0.002);
    }
    // not the classic images with another name: the same seed gives other pixels
    const classic = [...phantoms({ count: 1, seed: 5, size: 64 })][0]!;
    expect(Math.abs(mean(classic.image.data) - mean(a[0]!.image.data))).toBeGreaterThan(0.005);
  });

  it("mix both styles patient by patient, and write 16-bit images where asked", async () => {
    const dir = await mkdtemp(join(tmpdir(), "phantom-style-"));
    try {
      const mixed = [...phantoms({ count: 12, seed: 2, size: 48, style: "mixed" })];
      expect(new Set(mixed.map((p) => p.style))).toEqual(new Set(["classic", "alternate"]));
      await synthesizeDataset(dir, { count: 3, seed: 2, size: 48, style: "mixed", bits: 16 });
      const rows = await readDataset(dir);
      const png = await readFile(rows[0]!.path);
      // PNG header: bit depth is the byte after width and height
      expect(png[24]).toBe(16);
      const img = await readGray(rows[0]!.path);
      expect(img.width).toBe(48);
      expect(Math.max(...img.data)).toBeLessThanOrEqual(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
