// The package's only reader of environment variables.
import { backendPreferenceSchema } from "./backend";
import { z } from "zod";

/** ML_ONNX: `auto` runs frozen backbones on onnxruntime-node where it loads (not under tfjs-node), `off` never */
export const onnxPreferenceSchema = z.enum(["auto", "off"]);

const envSchema = z.object({
  ML_BACKEND: backendPreferenceSchema.default("auto"),
  ML_ONNX: onnxPreferenceSchema.default("auto"),
});

export type MlEnv = z.infer<typeof envSchema>;

export function readEnv(source: NodeJS.ProcessEnv = process.env): MlEnv {
  const parsed = envSchema.safeParse({
    ML_BACKEND: source.ML_BACKEND || undefined,
    ML_ONNX: source.ML_ONNX || undefined,
  });
  if (!parsed.success) {
    throw new Error(
      `ML_BACKEND must be one of ${backendPreferenceSchema.options.join(", ")}; ML_ONNX one of ${onnxPreferenceSchema.options.join(", ")}`,
    );
  }
  return parsed.data;
}
