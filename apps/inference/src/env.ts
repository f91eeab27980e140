// The only module that reads process.env: everything else receives a typed, validated Env.
import { backendPreferenceSchema } from "@cxr/ml";
import { z } from "zod";

const tokenMessage =
  "INFERENCE_TOKEN must be set to a secret of at least 16 characters (e.g. `openssl rand -hex 32`)";

export const envSchema = z.object({
  INFERENCE_TOKEN: z.string({ error: tokenMessage }).min(16, { error: tokenMessage }),
  // 0 lets the OS pick a free port (tests, parallel runs)
  INFERENCE_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  INFERENCE_HOST: z.string().min(1).default("127.0.0.1"),
  ML_BACKEND: backendPreferenceSchema.default("auto"),
  DATABASE_URL: z.url().optional(),
});

export type Env = z.infer<typeof envSchema>;

/** Validates the environment; throws an Error whose message is one readable line. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  // an empty variable (`FOO=` in a .env file) means "unset", not "the empty string"
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const result = envSchema.safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) =>
    issue.message.startsWith("INFERENCE_") ? issue.message : `${issue.path.join(".")}: ${issue.message}`,
  );
  throw new Error(`Invalid environment: ${problems.join("; ")}`);
}
