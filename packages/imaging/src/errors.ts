/** Why a file was refused; `message` is a sentence a person can act on. */
export type RejectionCode =
  | "EMPTY"
  | "TOO_LARGE"
  | "TOO_MANY_PIXELS"
  | "UNKNOWN_TYPE"
  | "TYPE_MISMATCH"
  | "CORRUPT"
  | "NOT_DICOM"
  | "NO_PIXEL_DATA"
  | "UNSUPPORTED"
  | "UNSAFE_ARCHIVE"
  /** the file's StudyInstanceUID names a study of another patient */
  | "CONFLICTING_STUDY";

/** A file refused as input: nothing of it may be stored. */
export class RejectedFileError extends Error {
  constructor(
    readonly code: RejectionCode,
    message: string,
  ) {
    super(message);
    this.name = "RejectedFileError";
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "string") return error; // dicom-parser throws plain strings
  // ...and wraps them with the partly parsed data set when it stops in the middle of a file
  if (typeof error === "object" && error !== null && "exception" in error)
    return describeError(error.exception);
  return String(error);
}
