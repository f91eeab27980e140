// Public API of @cxr/ml: plain typed functions shared by the CLI, the inference service and the web app.
export * from "./backend";
export { readEnv, type MlEnv } from "./env";
export { registerWasmGradientKernels } from "./kernels/wasm-gradients";
export { createRng, shuffled, type Rng } from "./rng";

// images and preprocessing
export { type GrayImage, type RgbImage, grayImage } from "./image/gray-image";
export { decodeGray, readGray } from "./image/decode";
export { encodeGray8, encodeGray16, encodeRgb, writePng } from "./image/encode";
export { preprocess, resizeGray, toBatch, type InputSpec } from "./preprocess";
export { rotate } from "./augment";

// models
export { archSchema, archSpecs, type Arch, type ArchSpec } from "./models/arch";
export {
  buildClassifier,
  copyHeadWeights,
  disposeClassifier,
  embeddingSize,
  extractHead,
  outputOf,
  setBackboneTrainable,
  validateClasses,
  type BuildOptions,
  type Classifier,
  type ClassifierInfo,
} from "./models/classifier";
export { layerNames, buildHeadModel, type HeadConfig } from "./models/head";
export { loadLayersModel, saveLayersModel } from "./models/layers-io";
export { runLayers, layersBetween } from "./models/graph";
export { macsPerImage } from "./models/flops";
export { predict, embed } from "./predict";

// Grad-CAM
export { gradCam, type GradCamOptions, type GradCamResult } from "./gradcam/gradcam";
export { overlay } from "./gradcam/overlay";
export { resizeMap, resizeMask } from "./gradcam/resize";
export {
  scoreLocalization,
  summarizeLocalization,
  type LocalizationScore,
  type LocalizationSummary,
} from "./gradcam/localization";

// data, training, evaluation
export { readDataset, classIndices, type DatasetRow } from "./data/dataset";
export { loadImages, type LabeledImage } from "./data/load";
export { splitByPatient, partition, dataSplitSchema, type DataSplit, type SplitOptions } from "./data/split";
export { fit, forwardTo, evaluateLoss, type FitData, type FitOptions, type Forward } from "./train/fit";
export { imageFitData, embeddingFitData } from "./train/fit-data";
export { DecayingAdam } from "./train/optimizer";
export { epochRecordSchema, historySchema, type EpochRecord } from "./train/history";
export {
  backboneDigest,
  cachedEmbeddings,
  emptyCache,
  readEmbeddingCache,
  writeEmbeddingCache,
  type EmbeddingCache,
} from "./train/embedding-cache";
export {
  trainModelVersion,
  headBatchSize,
  type TrainVersionOptions,
  type TrainVersionResult,
  type TrainMode,
} from "./train/train-version";
export { evaluateClassifier, localize, type Evaluation, type Prediction } from "./evaluate";

// metrics
export {
  argmax,
  confusionMatrix,
  perClass,
  accuracy,
  cohenKappa,
  type ClassFigures,
} from "./metrics/confusion";
export { rocAuc, aucOneVsRest } from "./metrics/roc";
export { expectedCalibrationError } from "./metrics/calibration";
export { bootstrap, quantile, type Interval, type BootstrapOptions } from "./metrics/bootstrap";
export { computeMetrics, type MetricsReport, type ClassReport, type MetricsOptions } from "./metrics/report";

// active learning
export {
  entropy,
  margin,
  leastConfidence,
  bald,
  voteEntropy,
  mcDropoutProbs,
  activeLearningScores,
  type ActiveLearningScores,
} from "./active-learning";

// model versions
export {
  writeModelVersion,
  readModelVersion,
  loadModelVersion,
  versionSchema,
  type ModelVersion,
  type VersionInfo,
  type WriteVersionInput,
} from "./model-version";
export { sha256, checksumFiles, verifyChecksums, digestOf, type Checksums } from "./checksum";

// phantoms
export {
  phantoms,
  synthesizeDataset,
  defaultPhantomClasses,
  type Phantom,
  type PhantomRecord,
  type SynthesizeOptions,
} from "./phantom/synthesize";
export { phantomClasses, type PhantomClass } from "./phantom/lesions";

// benchmark
export { bench, benchArch, type BenchReport, type ArchBench, type BenchOptions } from "./bench";
