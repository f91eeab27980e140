// The package's only reader of environment variables.
import { backendPreferenceSchema } from "./backend";
import { z } from "zod";

const envSchema = z.object({
  ML_BACKEND: backendPreferenceSchema.default("auto"),
});

export type MlEnv = z.infer<typeof envSchema>;

export function readEnv(source: NodeJS.ProcessEnv = process.env): MlEnv {
  const parsed = envSchema.safeParse({ ML_BACKEND: source.ML_BACKEND || undefined });
  if (!parsed.success) {
    throw new Error(`ML_BACKEND must be one of ${backendPreferenceSchema.options.join(", ")}`);
  }
  return parsed.data;
}
