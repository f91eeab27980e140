// One error type for every rule the domain enforces, with a message a person can act on. Plain functions
// throw it; each API maps it to its protocol in one place (tRPC: `@cxr/domain/trpc`; route handlers:
// `httpStatusOf`), so services never import a transport.

/** The codes are tRPC's own names, so the mapping to tRPC is the identity. */
export const domainErrorCodes = [
  "BAD_REQUEST",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "PRECONDITION_FAILED",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "TOO_MANY_REQUESTS",
] as const;
export type DomainErrorCode = (typeof domainErrorCodes)[number];

const httpStatus: Record<DomainErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
};

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "DomainError";
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;

export const httpStatusOf = (code: DomainErrorCode): number => httpStatus[code];
