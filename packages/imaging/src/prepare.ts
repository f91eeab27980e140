// From untrusted bytes to everything that will be stored, entirely in memory: validation (type from the bytes,
// size, pixel count, pixel data present), full decoding, the 16-bit master and the preview. Nothing is written
// here, so a file refused at any step leaves nothing behind. Callers use prepareImage, which runs all of it in
// a decode worker with a time and memory budget.
import { deidentifyDicom, type DeidentifyOptions } from "./dicom/deidentify";
import { readDicomMetadata, type DicomMetadata } from "./dicom/metadata";
import { parseDicom } from "./dicom/parse";
import { readPixelModule } from "./dicom/pixel-module";
import { renderFrame } from "./dicom/render";
import { encodeMasterPng, encodePreviewPng } from "./derivatives";
import { prepareInWorker } from "./decode/pool";
import { RejectedFileError } from "./errors";
import { grey16To8 } from "./grey";
import { defaultLimits, formatBytes, type Limits } from "./limits";
import { decodeRaster } from "./raster";
import { kindFromName, sniff } from "./sniff";

export interface PreparedFrame {
  /** 0-based frame index (0 for PNG and JPEG) */
  frame: number;
  width: number;
  height: number;
  master: Buffer;
  preview: Buffer;
  bitsStored: number;
  photometric: string;
  /** default display window in master grey levels; null: the master's full range */
  window: { center: number; width: number } | null;
  masterLossless: boolean;
}

export interface PreparedImage {
  kind: "png" | "jpeg" | "dicom";
  mimeType: string;
  /** the bytes to store as the original (de-identified DICOM when asked) */
  original: Uint8Array;
  frames: PreparedFrame[];
  dicom?: DicomMetadata;
  /** the salted pseudonym that replaced the patient's identity, when de-identified */
  pseudonym?: string;
}

export interface PrepareOptions {
  limits?: Limits;
  /** which frames of a multi-frame DICOM object become images: all (default) or one, 0-based */
  frame?: number | "all";
  deidentify?: DeidentifyOptions;
}

/**
 * Validates and decodes an untrusted file in a decode worker: a file that stalls or exhausts its decoder is
 * refused (RejectedFileError) and costs that worker, not the calling process. Every refusal has a message.
 */
export function prepareImage(
  bytes: Uint8Array,
  name: string,
  options: PrepareOptions = {},
): Promise<PreparedImage> {
  return prepareInWorker(bytes, name, options);
}

/** prepareImage in the calling thread, without a budget: for the decode worker itself. */
export async function prepareImageInProcess(
  bytes: Uint8Array,
  name: string,
  options: PrepareOptions = {},
): Promise<PreparedImage> {
  const limits = options.limits ?? defaultLimits;
  if (bytes.length === 0) throw new RejectedFileError("EMPTY", "the file is empty");
  if (bytes.length > limits.maxFileBytes) {
    throw new RejectedFileError(
      "TOO_LARGE",
      `the file is ${formatBytes(bytes.length)}, above the limit of ${formatBytes(limits.maxFileBytes)}`,
    );
  }
  const sniffed = await sniff(bytes);
  const named = kindFromName(name);
  if (sniffed.kind === "unknown" || sniffed.kind === "zip") {
    const what =
      sniffed.kind === "zip"
        ? "a zip archive (archives are unpacked only where uploads allow them)"
        : sniffed.detected;
    if (named)
      throw new RejectedFileError(
        "TYPE_MISMATCH",
        `named .${name.split(".").pop()} but the content is ${what}, not ${named.toUpperCase()}`,
      );
    throw new RejectedFileError("UNKNOWN_TYPE", `the content is ${what}; accepted are PNG, JPEG and DICOM`);
  }
  if (sniffed.kind === "dicom") return prepareDicom(bytes, limits, options);
  const { info, image } = await decodeRaster(bytes, limits);
  const master = await encodeMasterPng(image);
  const preview = await encodePreviewPng(grey16To8(image));
  return {
    kind: sniffed.kind,
    mimeType: sniffed.mimeType,
    original: bytes,
    frames: [
      {
        frame: 0,
        width: image.width,
        height: image.height,
        master,
        preview,
        bitsStored: info.bitDepth,
        photometric: info.channels >= 3 ? "RGB" : "MONOCHROME2",
        window: null,
        masterLossless: true,
      },
    ],
  };
}

async function prepareDicom(
  input: Uint8Array,
  limits: Limits,
  options: PrepareOptions,
): Promise<PreparedImage> {
  let bytes = input;
  let pseudonym: string | undefined;
  if (options.deidentify) {
    const result = deidentifyDicom(input, options.deidentify, limits);
    bytes = result.bytes;
    pseudonym = result.pseudonym;
  }
  const dicom = parseDicom(bytes, limits);
  const pm = readPixelModule(dicom.dataSet);
  const metadata = readDicomMetadata(dicom.dataSet);
  // the pixel limit is applied by decodeFrame, for every frame and every codec
  const wanted = options.frame ?? "all";
  if (wanted === "all" && pm.numberOfFrames > limits.maxFrames) {
    throw new RejectedFileError(
      "TOO_LARGE",
      `the object has ${pm.numberOfFrames} frames, above the limit of ${limits.maxFrames}`,
    );
  }
  const indices = wanted === "all" ? [...Array(pm.numberOfFrames).keys()] : [wanted];
  const frames: PreparedFrame[] = [];
  for (const frame of indices) {
    const rendered = await renderFrame(dicom, pm, { frame, limits });
    frames.push({
      frame,
      width: pm.columns,
      height: pm.rows,
      master: await encodeMasterPng(rendered.master),
      preview: await encodePreviewPng(rendered.display),
      bitsStored: pm.bitsStored,
      photometric: pm.photometric,
      window: rendered.masterWindow,
      masterLossless: rendered.masterLossless,
    });
  }
  return {
    kind: "dicom",
    mimeType: "application/dicom",
    original: bytes,
    frames,
    dicom: metadata,
    pseudonym,
  };
}
