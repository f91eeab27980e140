// Shared by every download: CSV cells, and an async generator of chunks (text, or bytes for DICOM objects and
// zip archives) as a streamed HTTP response, so an export of any size holds one batch in memory at a time.
import { httpStatusOf, isDomainError } from "@cxr/domain";

/** One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break; a leading =+-@ is defused. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let s = value instanceof Date ? value.toISOString() : String(value);
  // spreadsheet formula injection: a cell starting like a formula is made text
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (cells: readonly unknown[]) => `${cells.map(csvCell).join(",")}\r\n`;

/** A text made in one piece (a model card) as the chunks a download or the CLI streams. */
export async function* single(text: string): AsyncGenerator<string> {
  yield text;
}

/** Bytes made in one piece (a DICOM object) as a download's chunks. */
export async function* singleBytes(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

export function streamedResponse(
  chunks: AsyncIterable<string | Uint8Array>,
  filename: string,
  contentType: string,
): Response {
  const encoder = new TextEncoder();
  const iterator = chunks[Symbol.asyncIterator]();
  const body = new ReadableStream<Uint8Array>({
    // pull: the next batch is read only when the client has taken the last one (back-pressure)
    async pull(controller) {
      const { value, done } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(typeof value === "string" ? encoder.encode(value) : value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": contentType,
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
    },
  });
}

/** A route handler's refusal as text with the domain error's status; other errors are rethrown (500). */
export function errorResponse(error: unknown): Response {
  if (!isDomainError(error)) throw error;
  return new Response(error.message, {
    status: httpStatusOf(error.code),
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}
