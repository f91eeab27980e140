// The only module of @cxr/ingest that reads process.env.
import { storageEnvSchema } from "@cxr/storage";
import { z } from "zod";

export const ingestEnvSchema = storageEnvSchema.extend({
  DATABASE_URL: z.url({ error: "DATABASE_URL must be a postgresql:// URL" }).optional(),
  /** secret for de-identification pseudonyms; required with --deidentify */
  DEID_SALT: z.string().min(16, { error: "DEID_SALT must be at least 16 characters" }).optional(),
  /** where `npm run` was started, so relative paths on the command line mean what the user meant */
  INIT_CWD: z.string().optional(),
  /** the data folder of a running `npm start` (its runtime.json says where its database and storage are) */
  DATA_DIR: z.string().optional(),
});

export type IngestEnv = z.infer<typeof ingestEnvSchema>;

export function loadIngestEnv(source: Record<string, string | undefined> = process.env): IngestEnv {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const result = ingestEnvSchema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new Error(
    `Invalid environment: ${result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
  );
}
