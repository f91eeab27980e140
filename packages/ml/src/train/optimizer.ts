// Adam with a learning-rate schedule. tfjs' Adam has none, so the rate is set before each step:
// - "time-decay": Keras' (legacy) time-based decay, as the report's Adam(lr=INIT_LR, decay=INIT_LR / EPOCHS):
//   lr_t = lr0 / (1 + decay * iterations);
// - "cosine": lr0 * (f + (1 - f) * (1 + cos(pi * t / T)) / 2) over the run's T steps, down to a share f of lr0;
// - either, times `factor`, which a plateau schedule halves when validation stops improving.
import * as tf from "@tensorflow/tfjs";

export const schedules = ["time-decay", "cosine", "plateau"] as const;
export type Schedule = (typeof schedules)[number];

/** the share of the initial rate a cosine schedule ends at */
const cosineFloor = 0.02;

export class DecayingAdam extends tf.AdamOptimizer {
  private iterationCount = 0;
  /** multiplies the scheduled rate (a plateau schedule lowers it) */
  factor = 1;

  constructor(
    private readonly initialRate: number,
    private readonly decay: number,
    /** steps of a cosine schedule; without them, time-based decay */
    private readonly cosineSteps?: number,
  ) {
    super(initialRate, 0.9, 0.999, 1e-7);
  }

  /** The rate the next step will use; advances the schedule. */
  nextRate(): number {
    const t = this.iterationCount;
    const steps = this.cosineSteps;
    const base = steps
      ? this.initialRate *
        (cosineFloor + ((1 - cosineFloor) * (1 + Math.cos((Math.PI * Math.min(t, steps)) / steps))) / 2)
      : this.initialRate / (1 + this.decay * t);
    this.learningRate = base * this.factor;
    this.iterationCount++;
    return this.learningRate;
  }

  get currentRate(): number {
    return this.learningRate;
  }
}
