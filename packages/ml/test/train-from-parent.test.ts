// Fine-tuning from a model version: training starts from exactly its weights, and a folder that no longer matches
// the checksum the caller expects is refused before anything trains.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { disposeClassifier } from "../src/models/classifier";
import { loadModelVersion } from "../src/model-version";
import { synthesizeDataset } from "../src/phantom/synthesize";
import { weightsDigest } from "../src/train/embedding-cache";
import { trainModelVersion } from "../src/train/train-version";
import { useWasmAndTempDir } from "./learned";

const tmp = useWasmAndTempDir("ml-from-parent-");

describe("fine-tuning from a version", () => {
  it("starts from the parent's weights, and refuses a parent whose checksum differs", async () => {
    const data = join(tmp.dir, "data");
    await synthesizeDataset(data, { count: 24, seed: 5, size: 48 });
    const parent = await trainModelVersion({ dataDir: data, outDir: join(tmp.dir, "v1"), epochs: 1 });
    const loaded = await loadModelVersion(join(tmp.dir, "v1"));
    const parentWeights = await weightsDigest(loaded.classifier);
    disposeClassifier(loaded.classifier);
    // a fresh model starts elsewhere
    expect(parent.initialWeights).not.toBe(parentWeights);

    const child = await trainModelVersion({
      dataDir: data,
      outDir: join(tmp.dir, "v2"),
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
        outDir: join(tmp.dir, "v3"),
        fromDir: join(tmp.dir, "v1"),
        fromChecksum: "0".repeat(64),
        epochs: 1,
      }),
    ).rejects.toThrow(/does not match its checksum/);
  });
});
