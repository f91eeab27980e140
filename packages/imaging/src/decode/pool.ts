// Untrusted files are prepared in worker threads (a piscina pool) with a time and a JS heap budget: a file
// that makes a decoder loop, allocate without end or crash costs one worker, never the process that serves
// requests. Memory outside the JS heap (typed arrays, the wasm codecs' heaps, libvips) is not covered by the
// heap limit; the checks before decoding bound it (file size, pixel count, each frame's declared size).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { RejectedFileError } from "../errors";
import { defaultLimits } from "../limits";
import type { PreparedImage, PrepareOptions } from "../prepare";
import type { PrepareOutcome, PrepareTask } from "./task";

export interface DecodeBudget {
  /** V8 old and young generation of each worker (MB) */
  heapMb: number;
  youngMb: number;
  /** workers at most; each decodes one file at a time */
  threads: number;
  /** an idle worker is stopped after this, returning its memory (wasm heaps never shrink) */
  idleMs: number;
}

export const defaultDecodeBudget: Readonly<DecodeBudget> = {
  heapMb: 384,
  youngMb: 48,
  threads: 2,
  idleMs: 30_000,
};

let decodeBudget: DecodeBudget = { ...defaultDecodeBudget };

// By path on disk, not `new URL(..., import.meta.url)`, which bundlers rewrite: under Next the package's
// import.meta.url still names this source file, and the worker loads the source from there.
const workerFile = path.join(path.dirname(fileURLToPath(import.meta.url)), "worker.mjs");

// one pool per process, however many bundles include this module
const holder = globalThis as { cxrDecodePool?: Piscina<PrepareTask, PrepareOutcome> };

function decodePool(): Piscina<PrepareTask, PrepareOutcome> {
  if (!holder.cxrDecodePool) {
    const pool = new Piscina<PrepareTask, PrepareOutcome>({
      filename: workerFile,
      // the parent's flags (tsx's, vitest's, Next's) are not the worker's business: it registers tsx itself
      execArgv: [],
      minThreads: 0,
      maxThreads: decodeBudget.threads,
      idleTimeout: decodeBudget.idleMs,
      resourceLimits: {
        maxOldGenerationSizeMb: decodeBudget.heapMb,
        maxYoungGenerationSizeMb: decodeBudget.youngMb,
      },
    });
    // a worker that dies between tasks is replaced; without a listener piscina's 'error' would crash us
    pool.on("error", (error: unknown) => console.error("decode worker failed between tasks:", error));
    holder.cxrDecodePool = pool;
  }
  return holder.cxrDecodePool;
}

/** Changes the budget of the workers started from now on (the current ones are stopped). */
export async function configureDecodePool(budget: Partial<DecodeBudget>): Promise<void> {
  await closeDecodePool();
  decodeBudget = { ...defaultDecodeBudget, ...budget };
}

/** Stops the workers (tests and scripts; an idle pool does not keep a process alive anyway). */
export async function closeDecodePool(): Promise<void> {
  const pool = holder.cxrDecodePool;
  holder.cxrDecodePool = undefined;
  await pool?.destroy();
}

export async function prepareInWorker(
  bytes: Uint8Array,
  name: string,
  options: PrepareOptions,
): Promise<PreparedImage> {
  const timeoutMs = (options.limits ?? defaultLimits).decodeTimeoutMs;
  let outcome: PrepareOutcome;
  try {
    outcome = await decodePool().run({ bytes, name, options }, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw workerFailure(error, timeoutMs);
  }
  if (!outcome.ok) throw new RejectedFileError(outcome.code, outcome.message);
  const { prepared } = outcome;
  // structured cloning turned the Buffers into plain Uint8Arrays
  const buffer = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  return {
    ...prepared,
    original: prepared.original ?? bytes,
    frames: prepared.frames.map((f) => ({ ...f, master: buffer(f.master), preview: buffer(f.preview) })),
  };
}

/** A worker stopped on its budget is the file's refusal; a worker that cannot start is our failure. */
function workerFailure(error: unknown, timeoutMs: number): Error {
  const { name, code, message } = (error ?? {}) as { name?: string; code?: string; message?: string };
  if (name === "AbortError") {
    return new RejectedFileError(
      "TOO_LARGE",
      `decoding the file took longer than ${timeoutMs / 1000} s and was stopped: it is damaged or too large`,
    );
  }
  if (code === "ERR_WORKER_OUT_OF_MEMORY") {
    return new RejectedFileError(
      "TOO_LARGE",
      `decoding the file needed more than the decoder's ${decodeBudget.heapMb} MB of memory and was stopped`,
    );
  }
  if (message?.startsWith("worker exited with code")) {
    return new RejectedFileError("CORRUPT", `the decoder stopped on this file (${message})`);
  }
  return error instanceof Error ? error : new Error(String(error));
}
