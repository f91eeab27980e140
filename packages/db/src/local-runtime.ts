// While `npm start` runs, it records where its database and object storage are in DATA_DIR/runtime.json,
// so command-line tools started beside it (`npm run ingest -- ...`) find them without configuration.
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

export const defaultDataDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../.data");

const runtimeSchema = z.object({ databaseUrl: z.string(), storageUrl: z.string(), pid: z.number() });
export type LocalRuntime = z.infer<typeof runtimeSchema>;

const runtimeFile = (dataDir: string) => path.join(dataDir, "runtime.json");

export async function writeLocalRuntime(dataDir: string, runtime: LocalRuntime): Promise<void> {
  await writeFile(runtimeFile(dataDir), JSON.stringify(runtime, null, 2) + "\n", { mode: 0o600 });
}

export async function removeLocalRuntime(dataDir: string): Promise<void> {
  await rm(runtimeFile(dataDir), { force: true });
}

/** The running local platform's settings, or null when none runs (no file, or its process is gone). */
export async function readLocalRuntime(dataDir = defaultDataDir): Promise<LocalRuntime | null> {
  let runtime: LocalRuntime;
  try {
    runtime = runtimeSchema.parse(JSON.parse(await readFile(runtimeFile(dataDir), "utf8")));
  } catch {
    return null;
  }
  return isProcessAlive(runtime.pid) ? runtime : null;
}

/**
 * Whether a process of this machine is running. Signal 0 tests without sending anything; EPERM means it
 * exists but belongs to another user (alive), only ESRCH means it is gone.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
