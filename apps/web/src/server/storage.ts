import "server-only";
import { createStorage, type ObjectStorage } from "@cxr/storage";
import { env } from "~/env";

// One storage client per server process (the S3 client keeps its connections), kept across dev reloads.
const store = globalThis as unknown as { cxrStorage?: ObjectStorage };

export function getStorage(): ObjectStorage {
  store.cxrStorage ??= createStorage(env());
  return store.cxrStorage;
}
