import "server-only";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createStorage, type ObjectStorage } from "@cxr/storage";
import { env } from "~/env";

// One storage client per server process (the S3 client keeps its connections), kept across dev reloads.
const store = globalThis as unknown as { cxrStorage?: ObjectStorage };

export function getStorage(): ObjectStorage {
  store.cxrStorage ??= createStorage(env());
  return store.cxrStorage;
}

/**
 * Where upload bodies are spooled: beside a storage folder (`DATA_DIR/objects` gives `DATA_DIR/uploads`), so
 * on the data volume; the system's temporary folder when objects go to S3.
 */
export function uploadTmpDir(storageUrl: string): string {
  if (storageUrl.startsWith("s3://")) return path.join(os.tmpdir(), "cxr-uploads");
  const folder = storageUrl.startsWith("file:") ? fileURLToPath(storageUrl) : path.resolve(storageUrl);
  return path.join(path.dirname(folder), "uploads");
}
