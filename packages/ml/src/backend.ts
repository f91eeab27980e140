// Picks the TensorFlow.js backend once per process: the native bindings where installed (a GPU server with
// @tensorflow/tfjs-node-gpu, a CPU server with @tensorflow/tfjs-node), else WebAssembly, else plain JS.
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { registerBatchNormGradient } from "./kernels/batch-norm-gradient";
import { registerWasmGradientKernels } from "./kernels/wasm-gradients";

export const backendNames = ["tensorflow-gpu", "tensorflow", "wasm", "cpu"] as const;
export type BackendName = (typeof backendNames)[number];

/** ML_BACKEND values: which backend to force ("auto" tries them in order). */
export const backendPreferenceSchema = z.enum(["auto", "tfjs-node-gpu", "tfjs-node", "wasm", "cpu"]);
export type BackendPreference = z.infer<typeof backendPreferenceSchema>;

export interface BackendInfo {
  /** the name TensorFlow.js reports (`tensorflow` for both native packages) */
  backend: string;
  /** the npm package that provides it */
  provider:
    | "@tensorflow/tfjs-node-gpu"
    | "@tensorflow/tfjs-node"
    | "@tensorflow/tfjs-backend-wasm"
    | "@tensorflow/tfjs";
  /** why earlier candidates were skipped */
  skipped: string[];
}

let selected: Promise<BackendInfo> | undefined;

/** Selects and initialises the backend; later calls return the first result. */
export function initBackend(preference: BackendPreference = "auto"): Promise<BackendInfo> {
  selected ??= select(preference);
  return selected;
}

type Candidate = Exclude<BackendPreference, "auto">;
const order: Candidate[] = ["tfjs-node-gpu", "tfjs-node", "wasm", "cpu"];

async function select(preference: BackendPreference): Promise<BackendInfo> {
  const candidates = preference === "auto" ? order : [preference];
  const skipped: string[] = [];
  for (const candidate of candidates) {
    try {
      return { ...(await activate(candidate)), skipped };
    } catch (error) {
      skipped.push(`${candidate}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    }
  }
  throw new Error(`No TensorFlow.js backend could start (ML_BACKEND=${preference}): ${skipped.join("; ")}`);
}

async function activate(candidate: Candidate): Promise<Omit<BackendInfo, "skipped">> {
  switch (candidate) {
    case "tfjs-node-gpu":
    case "tfjs-node": {
      const pkg = candidate === "tfjs-node-gpu" ? "@tensorflow/tfjs-node-gpu" : "@tensorflow/tfjs-node";
      // optional dependencies: absent where their native library could not be installed
      await import(/* webpackIgnore: true */ pkg);
      await setBackend("tensorflow");
      return { backend: "tensorflow", provider: pkg };
    }
    case "wasm": {
      await import("@tensorflow/tfjs-backend-wasm");
      // training needs gradient kernels this backend lacks (see kernels/wasm-gradients.ts)
      registerWasmGradientKernels();
      registerBatchNormGradient();
      await setBackend("wasm");
      return { backend: "wasm", provider: "@tensorflow/tfjs-backend-wasm" };
    }
    case "cpu":
      await setBackend("cpu");
      return { backend: "cpu", provider: "@tensorflow/tfjs" };
  }
}

async function setBackend(name: string): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`backend ${name} failed to initialise`);
  await tf.ready();
}
