// The running e2e stack's database and storage, for tests that create their own cases (never the demo's).
import { createDb, type Db } from "@cxr/db";
import { readLocalRuntime, type LocalRuntime } from "@cxr/db/local-runtime";
import { createStorage, type ObjectStorage } from "@cxr/storage";

export async function stackHandles(): Promise<{ db: Db; storage: ObjectStorage; runtime: LocalRuntime }> {
  const dataDir = process.env.CXR_E2E_DATA_DIR;
  if (!dataDir) throw new Error("CXR_E2E_DATA_DIR is set by playwright.config.ts");
  const runtime = await readLocalRuntime(dataDir);
  if (!runtime) throw new Error(`no running stack recorded in ${dataDir}/runtime.json`);
  return {
    db: createDb(runtime.databaseUrl, { max: 2 }),
    storage: createStorage({ STORAGE_URL: runtime.storageUrl }),
    runtime,
  };
}
