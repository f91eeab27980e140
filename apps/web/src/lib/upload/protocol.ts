// The wire format of POST /api/upload, shared by the route and the browser. Plain module: no server imports.
import { z } from "zod";

export const UPLOAD_ENDPOINT = "/api/upload";
/** multipart field of each file; an optional `path` field per file carries its folder path */
export const FILE_FIELD = "file";
export const PATH_FIELD = "path";
/** room for the multipart boundaries, part headers and path fields around the file itself */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
/** files per request: the browser sends one, scripts may send a few */
export const MAX_FILES_PER_REQUEST = 20;

export const uploadResultSchema = z.object({
  name: z.string(),
  status: z.enum(["IMPORTED", "DUPLICATE", "REJECTED"]),
  message: z.string().optional(),
  imageIds: z.array(z.string()),
});
export type UploadFileResult = z.infer<typeof uploadResultSchema>;

export const uploadResponseSchema = z.object({ results: z.array(uploadResultSchema) });
export type UploadResponse = z.infer<typeof uploadResponseSchema>;

export const uploadErrorSchema = z.object({ error: z.string() });

/**
 * A browser-supplied path as a display name: separators unified, empty, `.` and `..` segments and control
 * characters dropped. It is only ever shown and recorded; storage keys are content hashes.
 */
export function cleanUploadPath(raw: string): string {
  const parts = raw
    .replace(/\\/g, "/")
    .split("/")
    // eslint-disable-next-line no-control-regex
    .map((part) => part.replace(/[\u0000-\u001f\u007f]/g, "").trim())
    .filter((part) => part !== "" && part !== "." && part !== "..");
  const joined = parts.join("/");
  // the end of a long path holds the file name, which matters most
  return (joined.length > 255 ? joined.slice(-255) : joined) || "unnamed file";
}
