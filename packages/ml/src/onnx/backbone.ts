// Frozen backbones on ONNX Runtime (onnxruntime-node): its native CPU kernels use every core and AVX-512, several
// times tfjs-wasm's single-threaded speed. Only the backbone runs there; the head, Grad-CAM's gradient and
// training stay in TensorFlow.js, which receives the backbone's feature maps as known layer outputs.
// Used when all of these hold, else the backbone runs in tfjs as before:
// - ML_ONNX is not `off`, and tfjs runs on wasm or cpu (tfjs-node / tfjs-node-gpu stay first where installed);
// - onnxruntime-node loads (an optional speed-up: its absence is logged once);
// - the classifier names its backbone weights (`backboneKey`: a stored version, or a frozen backbone), so the
//   session compiled from them can be cached and never runs stale weights.
import os from "node:os";
import * as tf from "@tensorflow/tfjs";
import type * as Ort from "onnxruntime-node";
import { readEnv } from "../env";
import { type Classifier } from "../models/classifier";
import { exportBackbone } from "./export";

type OrtModule = typeof Ort;

interface Compiled {
  session: Ort.InferenceSession;
  input: string;
  outputs: string[];
}

let ortModule: Promise<OrtModule | undefined> | undefined;
const warned = new Set<string>();

function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(`[ml] ${message}`);
}

function reason(error: unknown): string {
  return error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
}

/** onnxruntime-node if it loads and may be used in this process. */
export async function onnxRuntime(): Promise<OrtModule | undefined> {
  if (readEnv().ML_ONNX === "off") return undefined;
  // a native TensorFlow backend (GPU servers) runs the whole model faster than a CPU round trip would
  if (tf.getBackend() === "tensorflow") return undefined;
  ortModule ??= import("onnxruntime-node").then(
    (m) => m,
    (error: unknown) => {
      warnOnce(`onnxruntime-node unavailable (${reason(error)}): frozen backbones run in TensorFlow.js`);
      return undefined;
    },
  );
  return ortModule;
}

/** Where frozen backbones of keyed classifiers run in this process (after initBackend). */
export async function backboneEngine(): Promise<"onnxruntime" | "tfjs"> {
  return (await onnxRuntime()) ? "onnxruntime" : "tfjs";
}

// a few compiled backbones at most: each holds its weights (VGG16's are 59 MB) and ORT's packed copies
const maxSessions = 4;
const sessions = new Map<string, Promise<Compiled | undefined>>();

async function compile(
  ort: OrtModule,
  classifier: Classifier,
  target: string,
): Promise<Compiled | undefined> {
  try {
    const graph = exportBackbone(classifier.model, target);
    const session = await ort.InferenceSession.create(graph.bytes, {
      graphOptimizationLevel: "all",
      intraOpNumThreads: os.availableParallelism(),
      interOpNumThreads: 1,
      executionMode: "sequential",
    });
    return { session, input: graph.input, outputs: graph.outputs };
  } catch (error) {
    warnOnce(
      `${classifier.arch} backbone not run on ONNX Runtime (${reason(error)}): it runs in TensorFlow.js`,
    );
    return undefined;
  }
}

function sessionFor(ort: OrtModule, classifier: Classifier, key: string, target: string) {
  const id = `${key}|${target}`;
  let entry = sessions.get(id);
  if (entry) {
    // most recently used last
    sessions.delete(id);
  } else {
    entry = compile(ort, classifier, target);
    while (sessions.size >= maxSessions) {
      const [oldest, evicted] = sessions.entries().next().value as [string, Promise<Compiled | undefined>];
      sessions.delete(oldest);
      void evicted.then((c) => c?.session.release());
    }
  }
  sessions.set(id, entry);
  return entry;
}

/**
 * The backbone's outputs up to `target` for a batch, as layer name -> tensor (the caller disposes them), computed
 * by ONNX Runtime; undefined where the backbone is to run in tfjs (see the conditions above).
 */
export async function backboneOutputs(
  classifier: Classifier,
  batch: tf.Tensor4D,
  target: string,
): Promise<Map<string, tf.Tensor> | undefined> {
  const key = classifier.backboneKey;
  if (!key) return undefined;
  const ort = await onnxRuntime();
  if (!ort) return undefined;
  const compiled = await sessionFor(ort, classifier, key, target);
  if (!compiled) return undefined;
  const data = (await batch.data()) as Float32Array;
  const results = await compiled.session.run({
    [compiled.input]: new ort.Tensor("float32", data, batch.shape),
  });
  return new Map(
    compiled.outputs.map((name) => {
      const t = results[name];
      if (!t) throw new Error(`ONNX Runtime gave no output ${name}`);
      return [name, tf.tensor(t.data as Float32Array, t.dims as number[])];
    }),
  );
}

/** Releases every compiled backbone (tests, benchmarks). */
export async function releaseBackboneSessions(): Promise<void> {
  const all = [...sessions.values()];
  sessions.clear();
  for (const c of await Promise.all(all)) await c?.session.release();
}
