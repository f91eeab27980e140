import { z } from "zod";

/** What we need from the inference service's tRPC client; a fake satisfies it in tests. */
export interface InferenceInfoSource {
  system: { info: { query(input: undefined, opts: { signal: AbortSignal }): Promise<unknown> } };
}

// Parsed rather than trusted: the service is deployed separately and may run another version.
const infoSchema = z.object({ backend: z.string(), version: z.string() });

export type InferenceStatus = { up: true; backend: string; version: string } | { up: false; error: string };

export async function inferenceStatus(
  client: InferenceInfoSource,
  timeoutMs = 3000,
): Promise<InferenceStatus> {
  try {
    const info = infoSchema.parse(
      await client.system.info.query(undefined, { signal: AbortSignal.timeout(timeoutMs) }),
    );
    return { up: true, backend: info.backend, version: info.version };
  } catch (error) {
    const reason =
      error instanceof z.ZodError
        ? "unexpected answer"
        : error instanceof Error
          ? error.message
          : "unknown error";
    return { up: false, error: `Inference service unavailable (${reason})` };
  }
}
