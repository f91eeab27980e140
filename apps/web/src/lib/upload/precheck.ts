// Checks the browser makes before sending anything, so obvious mistakes get a message at once. The server
// checks everything again from the bytes; these only save a round trip.
import { formatBytes } from "~/lib/format";

export type UploadKind = "png" | "jpeg" | "dicom" | "zip";

/** Bytes to read from the start of a file for `kindFromBytes` (DICOM's "DICM" ends at 132). */
export const HEAD_BYTES = 132;

export function kindFromName(name: string): UploadKind | undefined {
  const base = name.split("/").pop() ?? name;
  if (!base.includes(".")) return undefined;
  const ext = base.toLowerCase().split(".").pop();
  if (ext === "png") return "png";
  if (ext === "jpg" || ext === "jpeg") return "jpeg";
  if (ext === "dcm" || ext === "dicom") return "dicom";
  if (ext === "zip") return "zip";
  return undefined;
}

const startsWith = (head: Uint8Array, bytes: number[], at = 0) =>
  head.length >= at + bytes.length && bytes.every((b, i) => head[at + i] === b);

/** The kind the first bytes announce (magic numbers), if any. */
export function kindFromBytes(head: Uint8Array): UploadKind | undefined {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (startsWith(head, [0xff, 0xd8, 0xff])) return "jpeg";
  if (startsWith(head, [0x44, 0x49, 0x43, 0x4d], 128)) return "dicom";
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return "zip";
  return undefined;
}

export type Precheck = { ok: true; kind: UploadKind } | { ok: false; message: string };

/**
 * Refuses empty and oversized files, and files that neither their name nor their first bytes say are PNG,
 * JPEG, DICOM or zip. A file whose name and bytes disagree is sent: the server's message explains it best.
 */
export function precheckFile(
  file: { name: string; size: number; head: Uint8Array },
  maxBytes: number,
): Precheck {
  if (file.size === 0) return { ok: false, message: `${file.name}: the file is empty` };
  if (file.size > maxBytes) {
    return {
      ok: false,
      message: `${file.name}: the file is ${formatBytes(file.size)}, above the upload limit of ${formatBytes(maxBytes)}`,
    };
  }
  const kind = kindFromName(file.name) ?? kindFromBytes(file.head);
  if (!kind) {
    return {
      ok: false,
      message: `${file.name}: not a PNG, JPEG, DICOM or zip file (judged from its name and first bytes)`,
    };
  }
  return { ok: true, kind };
}
