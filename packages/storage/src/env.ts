// The only module of @cxr/storage that reads process.env: where objects live and the S3 settings.
import { z } from "zod";

export const storageEnvSchema = z.object({
  /** a folder (`./data/objects`, `file:///srv/cxr/objects`) or `s3://bucket/prefix` */
  STORAGE_URL: z.string().min(1).default("./data/objects"),
  /** S3-compatible server such as MinIO (`http://minio:9000`); unset for AWS S3 */
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().min(1).default("us-east-1"),
  /** credentials; unset: the AWS SDK's default chain (AWS_ACCESS_KEY_ID, instance roles, ...) */
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
});

export type StorageEnv = z.infer<typeof storageEnvSchema>;

export function loadStorageEnv(source: Record<string, string | undefined> = process.env): StorageEnv {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const result = storageEnvSchema.safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  throw new Error(`Invalid environment: ${problems.join("; ")}`);
}
