import { serialSuite } from "@cxr/tsconfig/vitest-serial.mjs";
import { defineConfig } from "vitest/config";

// wasm training is single-threaded anyway
export default defineConfig({ test: serialSuite(120_000) });
