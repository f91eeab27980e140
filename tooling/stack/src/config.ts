// The stack's settings: the only place it reads the environment.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

const port = z.coerce.number().int().min(1).max(65535);
const optionalSecret = z.string().min(8, "must be at least 8 characters").optional();

const schema = z.object({
  DATA_DIR: z.string().default(path.join(repoRoot, ".data")),
  WEB_PORT: port.default(3000),
  INFERENCE_PORT: port.default(4000),
  /** an existing PostgreSQL to use instead of the embedded one: the services' (least-privilege) connection */
  DATABASE_URL: z.url().optional(),
  /** the same database as its owner, for the migrations and the seed; it creates DATABASE_URL's role */
  DATABASE_OWNER_URL: z.url().optional(),
  EMBEDDED_PG_PORT: port.default(5433),
  PUBLIC_URL: z.url().optional(),
  INFERENCE_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  NEXTAUTH_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  SEED_ADMIN_PASSWORD: optionalSecret,
  SEED_RADIOLOGIST_PASSWORD: optionalSecret,
  SEED_ANNOTATOR_PASSWORD: optionalSecret,
  ML_BACKEND: z.enum(["auto", "tfjs-node-gpu", "tfjs-node", "wasm", "cpu"]).default("auto"),
  /** image and Grad-CAM storage: a folder or s3://bucket/prefix (default DATA_DIR/objects) */
  STORAGE_URL: z.string().min(1).optional(),
  /** "on": a first start with an empty database seeds the demo (phantoms, a model, predictions) */
  DEMO: z.enum(["on", "off"]).default("on"),
});

export type StackConfig = z.infer<typeof schema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return { ...result.data, DATA_DIR: path.resolve(result.data.DATA_DIR) };
}
