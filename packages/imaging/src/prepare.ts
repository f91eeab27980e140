// From untrusted bytes to everything that will be stored, entirely in memory: validation (type from the bytes,
// size, pixel count, pixel data present), full decoding, the 16-bit master and the preview. Nothing is written
// here. Callers use prepareImage (every frame at once: single images) or prepareImageFrames (one frame at a
// time: a multi-frame DICOM holds one decoded frame and its derivatives in memory, not all of them), both in a
// decode worker with a time and memory budget.
import { deidentifyDicom, type DeidentifyOptions } from "./dicom/deidentify";
import { readDicomMetadata, type DicomMetadata } from "./dicom/metadata";
import { parseDicom } from "./dicom/parse";
import { readPixelModule } from "./dicom/pixel-module";
import { renderFrame } from "./dicom/render";
import { encodeMasterPng, encodePreviewPng } from "./derivatives";
import { prepareInWorker, streamInWorker } from "./decode/pool";
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

/** A prepared image whose frames come one at a time, decoded when asked for. */
export interface StreamedImage extends Omit<PreparedImage, "frames"> {
  frameCount: number;
  /** each frame once, in order; a frame that cannot be decoded throws its RejectedFileError */
  frames: AsyncIterable<PreparedFrame>;
  /** stops the decoding (frames not asked for are never decoded); call it in every case */
  close(): Promise<void>;
}

/** What is stored: all frames at hand, or one at a time. */
export type ImageToStore = Omit<PreparedImage, "frames"> & {
  frames: Iterable<PreparedFrame> | AsyncIterable<PreparedFrame>;
};

/** A validated image whose frames are decoded on demand (the decode worker's unit of work). */
export interface OpenedImage {
  head: Omit<PreparedImage, "frames">;
  frameCount: number;
  frame(index: number): Promise<PreparedFrame>;
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

/**
 * Validates the file, then decodes its frames one at a time as they are read from `frames`: memory holds one
 * decoded frame and its derivatives. Objects stored for earlier frames stay if a later frame is refused.
 */
export const prepareImageFrames = streamInWorker;

/** prepareImage in the calling thread, without a budget: for the decode worker itself. */
export async function prepareImageInProcess(
  bytes: Uint8Array,
  name: string,
  options: PrepareOptions = {},
): Promise<PreparedImage> {
  const opened = await openImage(bytes, name, options);
  const frames: PreparedFrame[] = [];
  for (let i = 0; i < opened.frameCount; i++) frames.push(await opened.frame(i));
  return { ...opened.head, frames };
}

/** Checks the file and reads its metadata; frames are decoded by `frame(i)`. */
export async function openImage(
  bytes: Uint8Array,
  name: string,
  options: PrepareOptions = {},
): Promise<OpenedImage> {
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
  const frame: PreparedFrame = {
    frame: 0,
    width: image.width,
    height: image.height,
    master: await encodeMasterPng(image),
    preview: await encodePreviewPng(grey16To8(image)),
    bitsStored: info.bitDepth,
    photometric: info.channels >= 3 ? "RGB" : "MONOCHROME2",
    window: null,
    masterLossless: true,
  };
  return {
    head: { kind: sniffed.kind, mimeType: sniffed.mimeType, original: bytes },
    frameCount: 1,
    frame: () => Promise.resolve(frame),
  };
}

async function prepareDicom(
  input: Uint8Array,
  limits: Limits,
  options: PrepareOptions,
): Promise<OpenedImage> {
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
  return {
    head: { kind: "dicom", mimeType: "application/dicom", original: bytes, dicom: metadata, pseudonym },
    frameCount: indices.length,
    async frame(i) {
      const frame = indices[i];
      if (frame === undefined) throw new RangeError(`frame ${i} of ${indices.length}`);
      // decoded, encoded, and dropped before the next one is decoded
      const rendered = await renderFrame(dicom, pm, { frame, limits });
      return {
        frame,
        width: pm.columns,
        height: pm.rows,
        master: await encodeMasterPng(rendered.master),
        preview: await encodePreviewPng(rendered.display),
        bitsStored: pm.bitsStored,
        photometric: pm.photometric,
        window: rendered.masterWindow,
        masterLossless: rendered.masterLossless,
      };
    },
  };
}
