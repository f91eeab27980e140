// The only module that reads process.env: everything else receives a typed, validated Env.
import { backendPreferenceSchema, onnxPreferenceSchema } from "@cxr/ml";
import { z } from "zod";
import { promotionGateSchema } from "./evaluation/gate";

const tokenMessage =
  "INFERENCE_TOKEN must be set to a secret of at least 16 characters (e.g. `openssl rand -hex 32`)";

export const envSchema = z.object({
  INFERENCE_TOKEN: z.string({ error: tokenMessage }).min(16, { error: tokenMessage }),
  // 0 lets the OS pick a free port (tests, parallel runs)
  INFERENCE_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  INFERENCE_HOST: z.string().min(1).default("127.0.0.1"),
  ML_BACKEND: backendPreferenceSchema.default("auto"),
  /** frozen backbones on onnxruntime-node (auto) or in TensorFlow.js (off); @cxr/ml reads it where it runs them */
  ML_ONNX: onnxPreferenceSchema.default("auto"),
  /** without it the service answers /health and system calls only (no queue, no models) */
  DATABASE_URL: z.url().optional(),
  /** where trained model versions are written, one immutable folder each */
  MODELS_DIR: z.string().min(1).default("./data/models"),
  /** model executions at once in this replica; further jobs wait in the queue */
  INFERENCE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  PREDICT_BATCH_SIZE: z.coerce.number().int().min(1).max(256).default(8),
  /** a prediction job running longer is assumed dead and retried (with backoff) */
  JOB_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
  QUEUE_MAINTENANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  QUEUE_POLLING_SECONDS: z.coerce.number().min(0.5).max(60).default(2),
  /** how long predict/explain calls wait for their jobs before answering "queued" */
  PREDICT_WAIT_SECONDS: z.coerce.number().min(0).max(3600).default(120),
  TRAINING_STALE_SECONDS: z.coerce.number().int().min(5).max(86_400).default(120),
  /** JSON, e.g. {"criticalClass":"covid-19","maxMacroF1Drop":0.01}; unset fields keep their defaults */
  PROMOTION_GATE: z
    .string()
    .default("{}")
    .transform((text, ctx) => {
      try {
        return promotionGateSchema.parse(JSON.parse(text));
      } catch (error) {
        ctx.addIssue({
          code: "custom",
          message: `not a valid gate: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
        });
        return z.NEVER;
      }
    }),
  /** Monte-Carlo dropout passes per prediction for the BALD score (0: no BALD, faster) */
  BALD_SAMPLES: z.coerce.number().int().min(0).max(100).default(10),
  /** names this replica in logs and TrainingRun.workerId; default host:pid */
  WORKER_ID: z.string().min(1).max(200).optional(),
  /** "on": seed the demo (phantoms, first model, predictions) when the database has no images yet */
  DEMO: z.enum(["on", "off"]).default("off"),
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
