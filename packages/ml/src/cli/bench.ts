// `bench [--json] [--arch a,b] [--leak-runs N] [--budget-ms N]`
import { z } from "zod";
import { bench } from "../bench";
import { archSchema } from "../models/arch";
import { intFlag, parseCommand } from "./args";

const schema = z.object({
  json: z.boolean().default(false),
  arch: z
    .string()
    .transform((s) => s.split(",").map((x) => x.trim()))
    .pipe(z.array(archSchema).min(1))
    .optional(),
  "leak-runs": intFlag(1).default(100),
  "budget-ms": intFlag(1).default(2000),
});

export async function benchCommand(argv: string[]): Promise<void> {
  const s = { type: "string" } as const;
  const a = parseCommand(
    argv,
    { json: { type: "boolean" }, arch: s, "leak-runs": s, "budget-ms": s },
    schema,
  );
  const report = await bench({
    ...(a.arch ? { archs: a.arch } : {}),
    leakRuns: a["leak-runs"],
    budgetMs: a["budget-ms"],
    log: (m) => console.error(m),
  });
  if (a.json) {
    console.log(JSON.stringify(report));
    return;
  }
  if (report.machine.sgemm_peak)
    console.log(
      `sgemm peak ${report.machine.sgemm_peak.gflops_per_s.toFixed(0)} GFLOP/s (ONNX Runtime, 2048x2048)`,
    );
  for (const r of report.archs) {
    if (r.onnx)
      console.log(
        `${r.arch} on ONNX Runtime: predict ${r.onnx.predict_ms_per_image_batch8.toFixed(1)} ms, predict+Grad-CAM ` +
          `${r.onnx.predict_gradcam_ms_per_image_batch8.toFixed(1)} ms (batch 8, x${r.onnx.speedup_predict_gradcam_batch8.toFixed(1)}), ` +
          `${r.onnx.embeddings_per_s_batch8.toFixed(1)} embeddings/s`,
      );
    console.log(
      `${r.arch}: predict ${r.predict_ms_per_image.batch1.toFixed(1)} / ${r.predict_ms_per_image.batch8.toFixed(1)} ms (batch 1 / 8), ` +
        `predict+Grad-CAM ${r.predict_gradcam_ms_per_image.batch1.toFixed(1)} / ${r.predict_gradcam_ms_per_image.batch8.toFixed(1)} ms, ` +
        `${r.gflops_per_s.predict_batch8.toFixed(1)} GFLOP/s (tfjs), head retrain ${r.head_retrain.seconds.toFixed(2)} s (median of ${r.head_retrain.runs.length}; first ${r.head_retrain.cold_seconds.toFixed(2)} s), tensors ${r.tensors.before} -> ${r.tensors.after}`,
    );
  }
  for (const t of report.targets)
    console.log(
      `${t.met ? "met" : "unmet"}: ${t.what} ${t.measured?.toFixed(1) ?? "-"} (target ${t.target})`,
    );
}
