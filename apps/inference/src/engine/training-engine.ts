// The engine a training child process uses (see training/child-trainer.ts): the real @cxr/ml on the backend
// ML_BACKEND names, as the service itself.
import { backendPreferenceSchema, initBackend } from "@cxr/ml";
import { createMlEngine } from "./ml-engine";
import type { MlEngine } from "./types";

export async function createTrainingEngine(): Promise<MlEngine> {
  await initBackend(backendPreferenceSchema.parse(process.env.ML_BACKEND ?? "auto"));
  return createMlEngine();
}
