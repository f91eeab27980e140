// Training from a parent version (the inference service's fine-tune and head-only runs). Fine-tuning starts from
// exactly the parent's weights and refuses a folder that no longer matches the expected checksum. A head session
// embeds with the parent's backbone (never a random one), trains a new head, and writes a version whose backbone is
// the parent's, so cached embeddings stay valid for it; its cache namespace is the same for every load.
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { disposeClassifier } from "../src/models/classifier";
import { loadModelVersion } from "../src/model-version";
import { phantoms, synthesizeDataset } from "../src/phantom/synthesize";
import { backboneDigest, weightsDigest } from "../src/train/embedding-cache";
import { openHeadSession } from "../src/train/head-session";
import { trainModelVersion, type TrainVersionResult } from "../src/train/train-version";
import { useWasmAndTempDir } from "./learned";

const tmp = useWasmAndTempDir("ml-from-parent-");

const digests = async (dir: string) => {
  const { classifier } = await loadModelVersion(dir);
  try {
    return { all: await weightsDigest(classifier), backbone: await backboneDigest(classifier) };
  } finally {
    disposeClassifier(classifier);
  }
};

// one parent for both: a compact model trained briefly on phantoms
let parent: TrainVersionResult;
let data: string;
beforeAll(async () => {
  data = join(tmp.dir, "data");
  await synthesizeDataset(data, { count: 24, seed: 5, size: 48 });
  parent = await trainModelVersion({ dataDir: data, outDir: join(tmp.dir, "v1"), epochs: 1 });
}, 120_000);

describe("fine-tuning from a version", () => {
  it("starts from the parent's weights, and refuses a parent whose checksum differs", async () => {
    const parentWeights = (await digests(join(tmp.dir, "v1"))).all;
    // a fresh model starts elsewhere
    expect(parent.initialWeights).not.toBe(parentWeights);

    const child = await trainModelVersion({
      dataDir: data,
      outDir: join(tmp.dir, "fine-tuned"),
      fromDir: join(tmp.dir, "v1"),
      fromChecksum: parent.version.digest,
      mode: "full",
      epochs: 1,
    });
    expect(child.initialWeights).toBe(parentWeights);
    expect(child.version.version.parent).toBe(parent.version.version.id);

    await expect(
      trainModelVersion({
        dataDir: data,
        outDir: join(tmp.dir, "refused"),
        fromDir: join(tmp.dir, "v1"),
        fromChecksum: "0".repeat(64),
        epochs: 1,
      }),
    ).rejects.toThrow(/does not match its checksum/);
  });
});

describe("head sessions", () => {
  it("train a new head on the parent's frozen backbone and keep that backbone", async () => {
    const before = await digests(join(tmp.dir, "v1"));

    await expect(openHeadSession(join(tmp.dir, "v1"), "0".repeat(64))).rejects.toThrow(/checksum/);
    const session = await openHeadSession(join(tmp.dir, "v1"), parent.version.digest);
    const again = await openHeadSession(join(tmp.dir, "v1"), parent.version.digest);
    expect(again.cacheKey).toBe(session.cacheKey);
    again.dispose();
    try {
      expect(session.parentWeights).toBe(before.all);
      const items = [...phantoms({ count: 18, seed: 7, size: 48 })];
      const x = await session.embed(items.map((p) => p.image));
      expect(x.length).toBe(items.length * session.size);
      const labels = items.map((p) => session.classes.indexOf(p.label));
      const history = await session.fit({ x, labels }, undefined, { epochs: 2, seed: 3 });
      expect(history.map((h) => h.epoch)).toEqual([1, 2]);
      const probs = await session.probabilities("candidate", x);
      expect(probs).toHaveLength(items.length);
      for (const p of probs) expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      const written = await session.write(
        join(tmp.dir, "head-only"),
        { seed: 3 },
        { train: ["p"], val: [], test: [], seed: 3 },
      );
      const after = await digests(join(tmp.dir, "head-only"));
      expect(after.backbone).toBe(before.backbone);
      expect(after.all).not.toBe(before.all);
      expect(written.history).toHaveLength(2);
    } finally {
      session.dispose();
    }
  });
});
