// What the service implements: one typed function per procedure. The router calls these and nothing else, so
// the compiler checks the service against the contract.
import type { BackboneHandlers } from "./backbones";
import type { ModelHandlers } from "./models";
import type { PredictionHandlers } from "./predictions";
import type { SystemHandlers } from "./system";
import type { TrainingHandlers } from "./training";
import type { PolicyHandlers } from "./training-plan";

/** The procedures that need the service's database and job queue. */
export interface ServiceHandlers {
  models: ModelHandlers;
  predictions: PredictionHandlers;
  training: TrainingHandlers;
  /** retraining policies per label set */
  policy: PolicyHandlers;
  backbones: BackboneHandlers;
}

export interface InferenceHandlers {
  system: SystemHandlers;
  /** null when the service runs without a database: its procedures then answer PRECONDITION_FAILED */
  service: ServiceHandlers | null;
}
