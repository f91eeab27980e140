// One file to POST /api/upload with upload progress. XMLHttpRequest, because fetch reports no upload
// progress (streamed request bodies need HTTP/2, which a plain-HTTP deployment lacks).
import {
  FILE_FIELD,
  PATH_FIELD,
  UPLOAD_ENDPOINT,
  uploadErrorSchema,
  uploadResponseSchema,
  type UploadFileResult,
} from "./protocol";

export type SendOutcome =
  | { ok: true; results: UploadFileResult[] }
  | {
      ok: false;
      message: string;
      status: number;
      cancelled?: boolean;
      /** 429: the server is busy; send again after this many seconds */
      retryAfterSeconds?: number;
    };

/** Retry-After in seconds (RFC 9110: seconds or an HTTP date), bounded to 1..300; 5 when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number {
  const value = header?.trim() ?? "";
  const seconds = /^\d+$/.test(value) ? Number(value) : (Date.parse(value) - now) / 1000;
  return Number.isFinite(seconds) ? Math.min(Math.max(Math.ceil(seconds), 1), 300) : 5;
}

export interface SendOptions {
  signal?: AbortSignal;
  onProgress?: (loaded: number, total: number) => void;
  endpoint?: string;
}

/** The outcome of an answered request, from its status, body and Retry-After (exported for tests). */
export function readAnswer(status: number, body: string, retryAfter: string | null = null): SendOutcome {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  if (status >= 200 && status < 300) {
    const parsed = uploadResponseSchema.safeParse(json);
    return parsed.success
      ? { ok: true, results: parsed.data.results }
      : { ok: false, status, message: "The server's answer could not be read. Try again." };
  }
  const error = uploadErrorSchema.safeParse(json);
  if (status === 429) {
    const wait = retryAfterSeconds(retryAfter);
    const message = error.success
      ? error.data.error
      : `The server is busy with other uploads. This file is sent again in ${wait} s.`;
    return { ok: false, status, message, retryAfterSeconds: wait };
  }
  if (error.success) return { ok: false, status, message: error.data.error };
  if (status === 413) return { ok: false, status, message: "The file is larger than the server accepts." };
  return { ok: false, status, message: `The server answered HTTP ${status}. Try again.` };
}

export function sendFile(file: File, path: string, options: SendOptions = {}): Promise<SendOutcome> {
  const { signal, onProgress, endpoint = UPLOAD_ENDPOINT } = options;
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve({ ok: false, status: 0, message: "Cancelled.", cancelled: true });
      return;
    }
    const body = new FormData();
    body.append(PATH_FIELD, path);
    body.append(FILE_FIELD, file, file.name);

    const xhr = new XMLHttpRequest();
    xhr.open("POST", endpoint);
    xhr.responseType = "text";
    xhr.upload.onprogress = (event) =>
      onProgress?.(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.onload = () =>
      resolve(readAnswer(xhr.status, xhr.responseText, xhr.getResponseHeader("retry-after")));
    xhr.onerror = () =>
      resolve({
        ok: false,
        status: 0,
        message: "The upload was interrupted (network error or the server closed the connection). Try again.",
      });
    xhr.onabort = () => resolve({ ok: false, status: 0, message: "Cancelled.", cancelled: true });
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}
