// One prepare task as the decode worker runs it: every failure comes back as a refusal with a message (the
// bytes are the only input, so whatever goes wrong is the file's), and the result crosses the thread boundary
// as plain data.
import { describeError, RejectedFileError, type RejectionCode } from "../errors";
import { prepareImageInProcess, type PreparedImage, type PrepareOptions } from "../prepare";

export interface PrepareTask {
  bytes: Uint8Array;
  name: string;
  options: PrepareOptions;
}

/** `original` is null when it is the task's own bytes (they are not sent back). */
export type TransferredImage = Omit<PreparedImage, "original"> & { original: Uint8Array | null };

export type PrepareOutcome =
  { ok: true; prepared: TransferredImage } | { ok: false; code: RejectionCode; message: string };

export async function prepareTask({ bytes, name, options }: PrepareTask): Promise<PrepareOutcome> {
  try {
    const prepared = await prepareImageInProcess(bytes, name, options);
    return {
      ok: true,
      prepared: { ...prepared, original: prepared.original === bytes ? null : prepared.original },
    };
  } catch (error) {
    if (error instanceof RejectedFileError) return { ok: false, code: error.code, message: error.message };
    return { ok: false, code: "CORRUPT", message: `the file cannot be read (${describeError(error)})` };
  }
}
