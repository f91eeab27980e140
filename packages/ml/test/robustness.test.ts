import { describe, expect, it } from "vitest";
import { crossStyleRobustness, largestValidationDrop } from "../src/robustness";
import { type EpochRecord } from "../src/train/history";
import { useWasmAndTempDir } from "./learned";

const tmp = useWasmAndTempDir("ml-robustness-");

describe("robustness across phantom styles", () => {
  it("counts only validation falls into epochs after the third", () => {
    const at = (epoch: number, val_accuracy: number): EpochRecord => ({
      epoch,
      loss: 1,
      accuracy: 0.5,
      val_loss: 1,
      val_accuracy,
      learning_rate: 1e-3,
      seconds: 1,
    });
    const history = [at(1, 0.9), at(2, 0.3), at(3, 0.8), at(4, 0.7), at(5, 0.75), at(6, 0.5)];
    expect(largestValidationDrop(history)).toBeCloseTo(0.25, 10);
  });

  it("trains on one style and evaluates held-out phantoms of the other and of a mix", async () => {
    const report = await crossStyleRobustness({
      dir: tmp.dir,
      trainStyle: "classic",
      trainCount: 48,
      testCount: 18,
      size: 64,
      seed: 11,
      epochs: 3,
      gradcam: true,
    });
    expect(report.styles.map((s) => s.style)).toEqual(["classic", "alternate", "mixed"]);
    expect(report.epochs_run).toBeLessThanOrEqual(3);
    // the default schedule (time decay, halved on a plateau): the rate falls from epoch to epoch
    const rates = report.history.map((h) => h.learning_rate);
    rates.slice(1).forEach((r, i) => expect(r).toBeLessThan(rates[i]!));
    for (const s of report.styles) {
      expect(s.n).toBe(18);
      expect(Object.values(s.predicted_counts).reduce((a, b) => a + b, 0)).toBe(18);
      expect(Object.values(s.true_counts).every((c) => c > 0)).toBe(true);
      expect(s.pointing_game_15px).not.toBeNull();
    }
  }, 300_000);
});
