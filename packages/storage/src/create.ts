import { fileURLToPath } from "node:url";
import type { StorageEnv } from "./env";
import { LocalStorage } from "./local";
import { S3Storage } from "./s3";
import type { ObjectStorage } from "./types";

/** The storage STORAGE_URL names: a local folder by default, an S3-compatible bucket for `s3://`. */
export function createStorage(env: Pick<StorageEnv, "STORAGE_URL"> & Partial<StorageEnv>): ObjectStorage {
  const url = env.STORAGE_URL;
  if (url.startsWith("s3://")) {
    const parsed = new URL(url);
    if (!parsed.hostname) throw new Error(`STORAGE_URL ${url} names no bucket (expected s3://bucket/prefix)`);
    const credentials =
      env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
        ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY }
        : undefined;
    return new S3Storage({
      bucket: parsed.hostname,
      prefix: decodeURIComponent(parsed.pathname),
      region: env.S3_REGION,
      endpoint: env.S3_ENDPOINT,
      credentials,
    });
  }
  if (url.startsWith("file:")) return new LocalStorage(fileURLToPath(url));
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url))
    throw new Error(`STORAGE_URL ${url}: only folders, file: and s3:// are supported`);
  return new LocalStorage(url);
}
