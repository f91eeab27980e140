// The service's view of packages/ml: the few operations it needs. The service never runs a model any other
// way, so tests can exercise the queue and registry with a small stand-in and production uses ml-engine.ts.

/** One grey channel in [0, 1], row-major (the same shape as @cxr/ml's GrayImage). */
export interface GrayImage {
  width: number;
  height: number;
  data: Float32Array;
}

export interface ClassScores {
  /** aligned with the model's classes */
  probabilities: number[];
  entropy: number;
  margin: number;
  leastConfidence: number;
  /** BALD (Monte-Carlo dropout); null when the model cannot give it */
  bald: number | null;
}

/** A Grad-CAM map, normalised to [0, 1], at the model's input resolution. */
export interface HeatMap {
  width: number;
  height: number;
  data: Float32Array;
}

export interface LoadedModel {
  /** class keys in output order */
  readonly classes: readonly string[];
  readonly targetLayer: string;
  predict(images: readonly GrayImage[]): Promise<ClassScores[]>;
  /** one map per image, for the class index given for that image; `guided`: the report's min-max variant */
  gradcam(
    images: readonly GrayImage[],
    classIndex: readonly number[],
    targetLayer?: string,
    variant?: "standard" | "guided",
  ): Promise<HeatMap[]>;
  dispose(): void;
}

export interface LabelledImage {
  image: GrayImage;
  /** the class key ("covid-19"); models may know a subset of their label set's classes */
  classKey: string;
  patientId: string;
  /** where readers located the evidence for this label ([0, 1], any size): training is guided towards it */
  roiMask?: GrayImage;
}

/** A batch done within an epoch: `step` of `stepsPerEpoch` in epoch `epoch` (1-based). */
export interface StepProgress {
  epoch: number;
  step: number;
  stepsPerEpoch: number;
}

export interface EpochProgress {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number | null;
  valAccuracy: number | null;
  /** the optimiser's learning rate in this epoch, when the trainer gives it */
  learningRate?: number | null;
  seconds: number;
}

export type Architecture = "compact" | "vgg16" | "densenet121" | "resnet50";

export interface TrainRequest {
  architecture: Architecture;
  mode: "head" | "full";
  classes: readonly string[];
  train: readonly LabelledImage[];
  validation: readonly LabelledImage[];
  epochs: number;
  /** an empty folder the version is written to */
  outDir: string;
  seed?: number;
  /** fine-tuning: start from this version's weights (loaded through its checksum check); absent: new weights */
  parent?: { dir: string; checksum: string };
  /** images per step; absent: the engine's choice */
  batchSize?: number;
  /** ROI guidance weight in full training; absent: the engine's default */
  roiWeight?: number;
  /** a pretrained backbone folder (backbones/registry.ts: pretrainedBackboneFor) the transfer model starts from */
  weightsDir?: string;
  /** a rejection stops training (cancel); called after every epoch */
  onEpoch?: (progress: EpochProgress) => Promise<void> | void;
  /** called after every batch; a rejection stops training too */
  onStep?: (progress: StepProgress) => Promise<void> | void;
}

export interface TrainResult {
  /** checksum of the written folder, as load() verifies it */
  checksum: string;
  /** the model's output classes, in order */
  classes: string[];
  targetLayer: string;
  inputSize: number;
  history: EpochProgress[];
  /** training images whose ROI mask guided the model (0: none had one, or the mode cannot use them) */
  roiGuidedImages: number;
  /** digest of the weights training started from: equals the parent's `weightsDigest` when fine-tuned */
  initialWeightsDigest?: string;
}

export interface PerClassMetrics {
  precision: number;
  recall: number;
  specificity: number;
  f1: number;
  /** one-vs-rest ROC AUC; null when the test split lacks positives or negatives */
  auc?: number | null;
}

export interface EvaluationMetrics {
  classes: string[];
  count: number;
  accuracy: number;
  macroF1: number;
  /** expected calibration error */
  ece: number;
  aucOvrMacro: number | null;
  kappa: number | null;
  perClass: Record<string, PerClassMetrics>;
  /** rows true, columns predicted */
  confusionMatrix: number[][];
  /** 95% bootstrap intervals, where the engine gives them */
  ci95?: Record<string, unknown>;
  /** per-class one-vs-rest curves and the ECE's reliability bins, for the model's page */
  roc?: Record<string, { fpr: number; tpr: number }[]>;
  pr?: Record<string, { recall: number; precision: number }[]>;
  reliability?: { upper: number; count: number; confidence: number | null; accuracy: number | null }[];
}

export interface PatientSplit {
  train: string[];
  val: string[];
  test: string[];
}

export interface Phantom {
  /** an 8-bit grey PNG, as an imported file would be */
  png: Uint8Array;
  label: string;
  patientId: string;
  /** where its lesions are (1 inside), as a data set's masks would say; absent or all 0 without lesions */
  mask?: GrayImage;
}

/** Row-major embeddings [count, size] and their labels (indices into the head's classes). */
export interface EmbeddingSet {
  x: Float32Array;
  labels: readonly number[];
}

/** Head-only retraining on a parent version's frozen backbone; the caller keeps (caches) the embeddings. */
export interface HeadTrainer {
  /** the embedding cache's namespace: digest of the backbone's weights and the preprocessing */
  readonly cacheKey: string;
  /** floats per embedding */
  readonly size: number;
  /** the parent's classes, which the new head keeps */
  readonly classes: readonly string[];
  /** backbone embeddings, row-major */
  embed(images: readonly GrayImage[]): Promise<Float32Array>;
  /** trains a new head; a rejected `onEpoch` stops it (cancel) */
  fit(
    train: EmbeddingSet,
    validation: EmbeddingSet | undefined,
    options: {
      epochs: number;
      seed: number;
      batchSize?: number;
      onEpoch?: (progress: EpochProgress) => Promise<void> | void;
      onStep?: (progress: StepProgress) => Promise<void> | void;
    },
  ): Promise<EpochProgress[]>;
  /** class probabilities of the new head ("candidate") or of the parent's own head, from embeddings */
  probabilities(head: "candidate" | "parent", x: Float32Array): Promise<number[][]>;
  /** writes the parent's backbone with the new head into an empty folder */
  write(
    outDir: string,
    split: { train: string[]; val: string[]; test: string[]; seed: number },
  ): Promise<TrainResult>;
  dispose(): void;
}

export interface MlEngine {
  /** synthetic chest X-ray phantoms (normal, pneumonia, covid-19), for the demo */
  phantoms(options: { count: number; seed: number; size: number }): AsyncIterable<Phantom>;
  /** patient-level, class-stratified split; patients in `lockedTest` stay in test */
  splitPatients(
    rows: readonly { patientId: string; label: string }[],
    lockedTest: readonly string[],
  ): PatientSplit;
  /** loads a model version folder after checking its files against `checksum`; throws when they differ */
  load(dir: string, checksum: string): Promise<LoadedModel>;
  train(request: TrainRequest): Promise<TrainResult>;
  /** opens a version (checksum-checked) for head-only retraining on its frozen backbone */
  openHead(parent: { dir: string; checksum: string }): Promise<HeadTrainer>;
  evaluate(model: LoadedModel, examples: readonly LabelledImage[]): Promise<EvaluationMetrics>;
  /** the evaluation's figures from probabilities already computed (rows aligned with `truth`) */
  metrics(
    classes: readonly string[],
    probabilities: readonly (readonly number[])[],
    truth: readonly { classKey: string; patientId: string }[],
  ): EvaluationMetrics;
}

export class ChecksumMismatchError extends Error {
  constructor(dir: string, expected: string, actual: string) {
    super(
      `model files in ${dir} do not match the registry's checksum (expected ${expected}, found ${actual})`,
    );
    this.name = "ChecksumMismatchError";
  }
}
