// The cornerstone wasm codecs (CharLS for JPEG-LS, OpenJPEG for JPEG 2000), each loaded once on first use.
import { createRequire } from "node:module";

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

export interface WasmDecoded {
  info: FrameInfo;
  /** copied out of the wasm heap */
  bytes: Uint8Array;
}

export async function decodeWithWasm(
  specifier: string,
  className: string,
  encoded: Uint8Array,
): Promise<WasmDecoded> {
  const module = await load(specifier);
  const Decoder = module[className] as DecoderClass | undefined;
  if (typeof Decoder !== "function") throw new Error(`${specifier} has no ${className}`);
  const decoder = new Decoder();
  try {
    decoder.getEncodedBuffer(encoded.length).set(encoded);
    decoder.decode();
    return { info: decoder.getFrameInfo(), bytes: decoder.getDecodedBuffer().slice() };
  } finally {
    decoder.delete();
  }
}

export const decodeJpegLs = (encoded: Uint8Array) =>
  decodeWithWasm("@cornerstonejs/codec-charls/decodewasmjs", "JpegLSDecoder", encoded);
export const decodeJpeg2000 = (encoded: Uint8Array) =>
  decodeWithWasm("@cornerstonejs/codec-openjpeg/decodewasmjs", "J2KDecoder", encoded);
