// The per-request context: is the bearer token right? Compared in constant time, never stored in the context.
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { InferenceHandlers } from "./contract/handlers";
import type { InferenceContext } from "./trpc";

export interface ContextOptions {
  /** the service's bearer token */
  token: string;
  /** the service's implementation of every procedure */
  handlers: InferenceHandlers;
}

// Hashing both sides gives equal-length buffers, so timingSafeEqual never leaks the token's length.
const sha256 = (value: string): Buffer => createHash("sha256").update(value, "utf8").digest();

/** Builds the per-request context factory for an HTTP adapter. */
export function createContextFactory({ token, handlers }: ContextOptions) {
  const expected = sha256(token);
  return ({ req }: { req: { headers: IncomingHttpHeaders } }): InferenceContext => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
    const presented = match?.[1];
    const authenticated = presented !== undefined && timingSafeEqual(sha256(presented), expected);
    return { authenticated, handlers };
  };
}
