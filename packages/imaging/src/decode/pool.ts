// Untrusted files are prepared in worker threads (a piscina pool) with a time and a JS heap budget: a file
// that makes a decoder loop, allocate without end or crash costs one worker, never the process that serves
// requests. Memory outside the JS heap (typed arrays, the wasm codecs' heaps, libvips) is not covered by the
// heap limit; the checks before decoding bound it (file size, pixel count, each frame's declared size).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { MessageChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import { RejectedFileError } from "../errors";
import { defaultLimits } from "../limits";
import type { PreparedFrame, PreparedImage, PrepareOptions, StreamedImage } from "../prepare";
import type { PrepareOutcome, PrepareTask, StreamMessage } from "./task";

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
const holder = globalThis as { cxrDecodePool?: Piscina<PrepareTask, PrepareOutcome | null> };

function decodePool(): Piscina<PrepareTask, PrepareOutcome | null> {
  if (!holder.cxrDecodePool) {
    const pool = new Piscina<PrepareTask, PrepareOutcome | null>({
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
  let outcome: PrepareOutcome | null;
  try {
    const moved = movable(bytes);
    outcome = await decodePool().run(
      { bytes: moved, name, options },
      { signal: AbortSignal.timeout(timeoutMs), transferList: [moved.buffer] },
    );
  } catch (error) {
    throw workerFailure(error, timeoutMs);
  }
  if (!outcome) throw new Error("the decode worker answered a prepare task as a stream");
  if (!outcome.ok) throw new RejectedFileError(outcome.code, outcome.message);
  const { prepared } = outcome;
  return { ...prepared, original: prepared.original ?? bytes, frames: prepared.frames.map(asBuffers) };
}

/**
 * The file's bytes for the worker, moved rather than cloned: structured cloning would serialise them and copy
 * them again on the other side, three copies of a large file at once instead of two.
 */
function movable(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}

// structured cloning turned the Buffers into plain Uint8Arrays
const buffer = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
const asBuffers = (f: PreparedFrame): PreparedFrame => ({
  ...f,
  master: buffer(f.master),
  preview: buffer(f.preview),
});

/**
 * The image's head now, its frames one by one as they are read: the worker decodes a frame only when asked.
 * The time budget applies to each wait for the worker (the head, each frame), not to the caller's work between.
 */
export async function streamInWorker(
  bytes: Uint8Array,
  name: string,
  options: PrepareOptions = {},
): Promise<StreamedImage> {
  const timeoutMs = (options.limits ?? defaultLimits).decodeTimeoutMs;
  const { port1, port2 } = new MessageChannel();
  const abort = new AbortController();
  const moved = movable(bytes);
  const task = decodePool()
    .run(
      { bytes: moved, name, options, port: port2 },
      { signal: abort.signal, transferList: [port2, moved.buffer] },
    )
    .catch((error: unknown) => {
      throw workerFailure(error, timeoutMs);
    });
  task.catch(() => {}); // observed through receive(); not an unhandled rejection when nobody waits
  let finished = false;
  const close = async () => {
    if (!finished) port1.postMessage("stop");
    finished = true;
    await task.catch(() => {});
    port1.close();
  };
  /** the worker's next message, or the worker's failure, or a timeout that stops the worker */
  const receive = async (): Promise<StreamMessage> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        new Promise<StreamMessage>((resolve, reject) => {
          const onMessage = (message: StreamMessage) => {
            port1.off("close", onClose);
            resolve(message);
          };
          // the worker's last messages arrive before its port's close
          const onClose = () =>
            reject(new RejectedFileError("CORRUPT", "the decoder stopped before sending every frame"));
          port1.once("message", onMessage);
          port1.once("close", onClose);
        }),
        // a worker that crashed or ran out of memory; a task that ends well ends after its messages
        task.then(() => new Promise<never>(() => {})),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            abort.abort();
            reject(workerFailure(Object.assign(new Error("timeout"), { name: "AbortError" }), timeoutMs));
          }, timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  };
  const head = await receive().catch(async (error: unknown) => {
    await close();
    throw error;
  });
  if (head.type !== "head") {
    await close();
    throw head.type === "refused" ? new RejectedFileError(head.code, head.message) : new Error("no head");
  }
  const { frameCount } = head;
  async function* frames(): AsyncGenerator<PreparedFrame> {
    try {
      for (let i = 0; i < frameCount; i++) {
        port1.postMessage("next");
        const message = await receive();
        if (message.type === "refused") throw new RejectedFileError(message.code, message.message);
        if (message.type !== "frame") throw new Error("the decode worker sent a second head");
        yield asBuffers(message.frame);
      }
      finished = true;
    } finally {
      await close();
    }
  }
  return {
    ...head.head,
    original: head.head.original ?? bytes,
    frameCount,
    frames: frames(),
    close,
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
