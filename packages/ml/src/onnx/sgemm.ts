// The machine's single-precision matrix-product peak, measured with ONNX Runtime's MatMul (its native, threaded
// sgemm): the ceiling the bench's model figures are read against.
import os from "node:os";
import onnxProto from "onnx-proto";
import { onnxRuntime } from "./backbone";

const { onnx } = onnxProto;

export interface SgemmPeak {
  n: number;
  /** best of the runs */
  gflops_per_s: number;
  ms: number;
  runs: number;
  threads: number;
}

/** GFLOP/s of an n x n by n x n float32 product (best of runs within budgetMs); undefined without ONNX Runtime. */
export async function sgemmPeak(n = 2048, budgetMs = 2000): Promise<SgemmPeak | undefined> {
  const ort = await onnxRuntime();
  if (!ort) return undefined;
  const type = {
    tensorType: {
      elemType: onnx.TensorProto.DataType.FLOAT,
      shape: { dim: [{ dimValue: n }, { dimValue: n }] },
    },
  };
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: "", version: 13 }],
    graph: {
      name: "sgemm",
      node: [{ opType: "MatMul", input: ["a", "b"], output: ["c"] }],
      input: [
        { name: "a", type },
        { name: "b", type },
      ],
      output: [{ name: "c", type }],
    },
  });
  const threads = os.availableParallelism();
  const session = await ort.InferenceSession.create(onnx.ModelProto.encode(model).finish(), {
    graphOptimizationLevel: "all",
    intraOpNumThreads: threads,
  });
  try {
    const data = Float32Array.from({ length: n * n }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
    const feeds = { a: new ort.Tensor("float32", data, [n, n]), b: new ort.Tensor("float32", data, [n, n]) };
    await session.run(feeds); // warm-up
    let best = Infinity;
    let runs = 0;
    const started = performance.now();
    do {
      const t = performance.now();
      await session.run(feeds);
      best = Math.min(best, performance.now() - t);
      runs++;
    } while (performance.now() - started < budgetMs);
    return { n, gflops_per_s: (2 * n ** 3) / (best / 1000) / 1e9, ms: best, runs, threads };
  } finally {
    await session.release();
  }
}
