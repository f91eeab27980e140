// Set-up and checks the training tests share.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import { initBackend } from "../src/backend";
import { type EpochRecord } from "../src/train/history";

/** The wasm backend and a temporary folder for the test file: `dir` is set once beforeAll has run. */
export function useWasmAndTempDir(prefix: string): { readonly dir: string } {
  let dir: string | undefined;
  beforeAll(async () => {
    await initBackend("wasm");
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      if (dir === undefined) throw new Error("the temporary folder is used before its beforeAll ran");
      return dir;
    },
  };
}

/** A fit on separable data learned: one full record per epoch, the loss fell, validation is perfect. */
export function expectLearned(history: EpochRecord[], epochs: number): void {
  expect(history).toHaveLength(epochs);
  expect(Object.keys(history[0]!).sort()).toEqual([
    "accuracy",
    "epoch",
    "learning_rate",
    "loss",
    "seconds",
    "val_accuracy",
    "val_loss",
  ]);
  expect(history[epochs - 1]!.loss).toBeLessThan(history[0]!.loss);
  expect(history[epochs - 1]!.val_accuracy).toBe(1);
}
