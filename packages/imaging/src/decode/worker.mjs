// The decode worker's entry. Plain JavaScript, so that Node loads it as it is in every runtime that decodes
// (Next's production server, the ingest CLI and the inference service under tsx, vitest); it registers tsx,
// then loads this package's TypeScript source and serves the pool's prepare tasks.
import { fileURLToPath, URL } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: fileURLToPath(new URL("../../tsconfig.json", import.meta.url)) });
const { prepareTask } = await import("./task.ts");

export default prepareTask;
