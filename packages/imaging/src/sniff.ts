// What a file really is, from its bytes (never from its name or the browser's MIME type).
import { fileTypeFromBuffer } from "file-type";

export type FileKind = "png" | "jpeg" | "dicom" | "zip";

export interface Sniffed {
  kind: FileKind | "unknown";
  mimeType: string;
  /** a short description of what the bytes look like, for messages */
  detected: string;
}

const kinds: Record<string, FileKind> = {
  "image/png": "png",
  "image/jpeg": "jpeg",
  "application/dicom": "dicom",
  "application/zip": "zip",
};

export async function sniff(bytes: Uint8Array): Promise<Sniffed> {
  // DICOM Part 10: a 128-byte preamble, then "DICM"
  if (bytes.length >= 132 && String.fromCharCode(...bytes.subarray(128, 132)) === "DICM") {
    return { kind: "dicom", mimeType: "application/dicom", detected: "DICOM" };
  }
  const type = await fileTypeFromBuffer(bytes);
  if (type) {
    const kind = kinds[type.mime];
    return {
      kind: kind ?? "unknown",
      mimeType: type.mime,
      detected: `${type.ext.toUpperCase()} (${type.mime})`,
    };
  }
  return {
    kind: "unknown",
    mimeType: "application/octet-stream",
    detected: looksLikeText(bytes) ? "text" : "unrecognised binary data",
  };
}

function looksLikeText(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 4096);
  if (head.length === 0) return false;
  let printable = 0;
  for (const byte of head) {
    if (byte === 0) return false;
    if (byte === 9 || byte === 10 || byte === 13 || (byte >= 32 && byte < 127) || byte >= 128) printable += 1;
  }
  return printable / head.length > 0.95;
}

/** The kind a file name suggests, to explain mismatches ("named .dcm but it is text"). */
export function kindFromName(name: string): FileKind | undefined {
  const ext = name.toLowerCase().split(".").pop() ?? "";
  if (ext === "png") return "png";
  if (ext === "jpg" || ext === "jpeg") return "jpeg";
  if (ext === "dcm" || ext === "dicom") return "dicom";
  if (ext === "zip") return "zip";
  return undefined;
}
