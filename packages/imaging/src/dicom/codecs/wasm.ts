// The cornerstone wasm codecs (CharLS for JPEG-LS, OpenJPEG for JPEG 2000), each loaded once on first use.
// A frame's declared size is checked before it is decoded (the wasm heap grows to whatever the frame claims
// and never shrinks), and every codec failure, bare numbers included, becomes a rejection with a message.
import { createRequire } from "node:module";
import { describeError, RejectedFileError } from "../../errors";
import {
  checkDeclaredFrame,
  readJpeg2000Header,
  readJpegFrameHeader,
  type ExpectedFrame,
} from "./declared-frame";

const require = createRequire(import.meta.url);

export interface FrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned?: boolean;
}

interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getFrameInfo(): FrameInfo;
  getDecodedBuffer(): Uint8Array;
  delete(): void;
}

type DecoderClass = new () => WasmDecoder;
type Factory = (options: {
  print(text: string): void;
  printErr(text: string): void;
}) => Promise<Record<string, unknown>>;

interface Codec {
  name: string;
  specifier: string;
  className: string;
}

const JPEG_LS: Codec = {
  name: "JPEG-LS",
  specifier: "@cornerstonejs/codec-charls/decodewasmjs",
  className: "JpegLSDecoder",
};
const JPEG_2000: Codec = {
  name: "JPEG 2000",
  specifier: "@cornerstonejs/codec-openjpeg/decodewasmjs",
  className: "J2KDecoder",
};

const modules = new Map<string, Promise<Record<string, unknown>>>();

function load(specifier: string): Promise<Record<string, unknown>> {
  let module = modules.get(specifier);
  if (!module) {
    const factory = require(specifier) as Factory;
    // OpenJPEG logs "[INFO] ..." for every frame; decoding errors are thrown, so its output is dropped
    module = factory({ print: () => {}, printErr: () => {} });
    modules.set(specifier, module);
  }
  return module;
}

/** Emscripten builds without exception support throw a C++ exception as a bare pointer (a number). */
function codecMessage(error: unknown): string {
  return typeof error === "number" ? "the codec stopped without saying why" : describeError(error);
}

export interface WasmDecoded {
  info: FrameInfo;
  /** copied out of the wasm heap */
  bytes: Uint8Array;
}

async function decodeWithWasm(
  codec: Codec,
  encoded: Uint8Array,
  expected: ExpectedFrame,
): Promise<WasmDecoded> {
  const module = await load(codec.specifier);
  const Decoder = module[codec.className] as DecoderClass | undefined;
  if (typeof Decoder !== "function") throw new Error(`${codec.specifier} has no ${codec.className}`);
  const check = (info: FrameInfo) =>
    checkDeclaredFrame(
      codec.name,
      {
        width: info.width,
        height: info.height,
        components: info.componentCount,
        bitsPerSample: info.bitsPerSample,
      },
      expected,
    );
  const decoder = new Decoder();
  try {
    decoder.getEncodedBuffer(encoded.length).set(encoded);
    decoder.decode();
    // the header was checked before; the codec's own account must agree with it
    const info = decoder.getFrameInfo();
    check(info);
    return { info, bytes: decoder.getDecodedBuffer().slice() };
  } catch (error) {
    if (error instanceof RejectedFileError) throw error;
    // a codec that threw may have left its heap in any state: the next frame gets a fresh instance
    modules.delete(codec.specifier);
    throw new RejectedFileError(
      "CORRUPT",
      `the ${codec.name} frame cannot be decoded (${codecMessage(error)})`,
    );
  } finally {
    try {
      decoder.delete();
    } catch {
      // the instance is already dropped above when its heap is broken
    }
  }
}

export function decodeJpegLs(encoded: Uint8Array, expected: ExpectedFrame): Promise<WasmDecoded> {
  // CharLS has no header-only call: its frame header (SOF55) has the layout of a JPEG frame header
  checkDeclaredFrame(JPEG_LS.name, readJpegFrameHeader(encoded, JPEG_LS.name), expected);
  return decodeWithWasm(JPEG_LS, encoded, expected);
}

export function decodeJpeg2000(encoded: Uint8Array, expected: ExpectedFrame): Promise<WasmDecoded> {
  // OpenJPEG's readHeader does not fill its frame info (only decode does), so the SIZ marker is read here
  checkDeclaredFrame(JPEG_2000.name, readJpeg2000Header(encoded, JPEG_2000.name), expected);
  return decodeWithWasm(JPEG_2000, encoded, expected);
}
