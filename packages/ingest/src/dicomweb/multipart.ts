// multipart/related bodies (PS3.18: WADO-RS responses and STOW-RS requests), byte-exact, no string decoding of
// the parts (they are binary DICOM).
import { randomBytes } from "node:crypto";

export interface Part {
  headers: Record<string, string>;
  body: Buffer;
}

export class MultipartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MultipartError";
  }
}

/** The parameters of a Content-Type header: boundary, type, ... (quotes removed, names lower case). */
export function contentTypeParams(contentType: string): {
  mediaType: string;
  params: Record<string, string>;
} {
  const [mediaType = "", ...rest] = contentType.split(";");
  const params: Record<string, string> = {};
  for (const part of rest) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    params[part.slice(0, eq).trim().toLowerCase()] = part
      .slice(eq + 1)
      .trim()
      .replace(/^"|"$/g, "");
  }
  return { mediaType: mediaType.trim().toLowerCase(), params };
}

export function parseMultipart(body: Uint8Array, contentType: string): Part[] {
  const { mediaType, params } = contentTypeParams(contentType);
  if (!mediaType.startsWith("multipart/"))
    throw new MultipartError(`expected a multipart body, got ${mediaType || "no content type"}`);
  const boundary = params.boundary;
  if (!boundary) throw new MultipartError("the multipart content type names no boundary");
  const buffer = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let at = buffer.indexOf(delimiter);
  if (at < 0) throw new MultipartError("the multipart body has no boundary line");
  while (at >= 0) {
    let start = at + delimiter.length;
    if (buffer.subarray(start, start + 2).toString("latin1") === "--") break; // closing delimiter
    if (buffer[start] === 0x0d && buffer[start + 1] === 0x0a) start += 2;
    const next = buffer.indexOf(delimiter, start);
    if (next < 0) throw new MultipartError("the multipart body ends without its closing boundary");
    // the CRLF before a delimiter belongs to the delimiter
    const end = buffer[next - 2] === 0x0d && buffer[next - 1] === 0x0a ? next - 2 : next;
    const headerEnd = buffer.indexOf("\r\n\r\n", start);
    if (headerEnd < 0 || headerEnd > end) throw new MultipartError("a multipart part has no header block");
    const headers: Record<string, string> = {};
    for (const line of buffer.subarray(start, headerEnd).toString("latin1").split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    parts.push({ headers, body: buffer.subarray(headerEnd + 4, end) });
    at = next;
  }
  return parts;
}

export function buildMultipart(parts: { contentType: string; body: Uint8Array }[]): {
  body: Buffer;
  boundary: string;
} {
  const boundary = `cxr-${randomBytes(12).toString("hex")}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Type: ${part.contentType}\r\n\r\n`, "latin1"),
      Buffer.from(part.body),
      Buffer.from("\r\n"),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`, "latin1"));
  return { body: Buffer.concat(chunks), boundary };
}
