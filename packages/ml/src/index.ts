// Public API of @cxr/ml: what the inference service uses (the only workspace that imports it). The CLI
// (src/cli.ts) and the tests import modules directly; everything not listed here is internal.

// backend
export { initBackend, backendPreferenceSchema, type BackendInfo, type BackendPreference } from "./backend";
export { onnxPreferenceSchema } from "./env";
export { backboneEngine } from "./onnx/backbone";

// images and preprocessing
export { encodeGray8, encodeGray16 } from "./image/encode";
export { preprocess } from "./preprocess";

// models, prediction, Grad-CAM
export { disposeClassifier } from "./models/classifier";
export { predict, embed, predictWithEmbeddings } from "./predict";
export { FeatureMemo } from "./onnx/feature-memo";
export { gradCam } from "./gradcam/gradcam";
export { loadModelVersion } from "./model-version";

// pretrained backbones from Keras weight files
export {
  importKerasWeights,
  readBackboneFolder,
  type BackboneInfo,
  type PretrainedBackbone,
} from "./weights/backbone-folder";
export { pretrainedArchs, type PretrainedArch } from "./weights/mapping";

// data, training, evaluation
export { splitByPatient } from "./data/split";
export { trainModelVersion } from "./train/train-version";
export { type StepProgress } from "./train/epochs";
export { weightsDigest } from "./train/embedding-cache";
export { openHeadSession, preprocessingVersion, type HeadSession } from "./train/head-session";
export { computeMetrics } from "./metrics/report";

// active learning
export { mcDropoutProbs, activeLearningScores } from "./active-learning";

// phantoms (the demo's synthetic chest X-rays)
export { phantoms } from "./phantom/synthesize";
