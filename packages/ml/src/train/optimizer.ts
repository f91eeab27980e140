// Adam with Keras' (legacy) time-based decay, as the report's Adam(lr=INIT_LR, decay=INIT_LR / EPOCHS):
// lr_t = lr0 / (1 + decay * iterations). tfjs' Adam has no schedule, so the rate is set before each step.
import * as tf from "@tensorflow/tfjs";

export class DecayingAdam extends tf.AdamOptimizer {
  private iterationCount = 0;

  constructor(
    private readonly initialRate: number,
    private readonly decay: number,
  ) {
    super(initialRate, 0.9, 0.999, 1e-7);
  }

  /** The rate the next step will use; advances the schedule. */
  nextRate(): number {
    this.learningRate = this.initialRate / (1 + this.decay * this.iterationCount);
    this.iterationCount++;
    return this.learningRate;
  }

  get currentRate(): number {
    return this.learningRate;
  }
}
