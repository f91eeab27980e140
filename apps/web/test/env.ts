import { vi } from "vitest";

/**
 * Stubs the app's required environment (and `extra` on top). env() and authOptions() read the environment
 * once, on first use: call this before importing them.
 */
export function stubAppEnv(extra: Record<string, string> = {}): void {
  const vars = {
    DATABASE_URL: "postgresql://cxr:secret@127.0.0.1:5432/cxr",
    NEXTAUTH_SECRET: "a-test-secret-of-enough-length",
    INFERENCE_TOKEN: "token",
    ...extra,
  };
  for (const [name, value] of Object.entries(vars)) vi.stubEnv(name, value);
}
