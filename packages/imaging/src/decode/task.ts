// One prepare task as the decode worker runs it: every failure comes back as a refusal with a message (the
// bytes are the only input, so whatever goes wrong is the file's), and the result crosses the thread boundary
// as plain data. With a port, the frames go one at a time: the head first, then one frame per "next" the
// caller sends, so only one decoded frame exists at a time on either side.
import type { MessagePort } from "node:worker_threads";
import { describeError, RejectedFileError, type RejectionCode } from "../errors";
import {
  openImage,
  prepareImageInProcess,
  type PreparedFrame,
  type PreparedImage,
  type PrepareOptions,
} from "../prepare";

export interface PrepareTask {
  bytes: Uint8Array;
  name: string;
  options: PrepareOptions;
  /** stream mode: the head and each frame are posted here (see StreamMessage) */
  port?: MessagePort;
}

/** `original` is null when it is the task's own bytes (they are not sent back). */
export type TransferredImage = Omit<PreparedImage, "original"> & { original: Uint8Array | null };

type Refusal = { ok: false; code: RejectionCode; message: string };

export type PrepareOutcome = { ok: true; prepared: TransferredImage } | Refusal;

/** The worker's messages in stream mode; the caller answers "next" or "stop" to each head or frame. */
export type StreamMessage =
  | { type: "head"; head: Omit<TransferredImage, "frames">; frameCount: number }
  | { type: "frame"; frame: PreparedFrame }
  | ({ type: "refused" } & Omit<Refusal, "ok">);

function refusal(error: unknown): Refusal {
  if (error instanceof RejectedFileError) return { ok: false, code: error.code, message: error.message };
  return { ok: false, code: "CORRUPT", message: `the file cannot be read (${describeError(error)})` };
}

export async function prepareTask(task: PrepareTask): Promise<PrepareOutcome | null> {
  if (task.port) return streamTask(task, task.port);
  const { bytes, name, options } = task;
  try {
    const prepared = await prepareImageInProcess(bytes, name, options);
    return {
      ok: true,
      prepared: { ...prepared, original: prepared.original === bytes ? null : prepared.original },
    };
  } catch (error) {
    return refusal(error);
  }
}

/** The caller's answer: "next", or "stop" (also when it closed the port). */
function reply(port: MessagePort): Promise<"next" | "stop"> {
  return new Promise((resolve) => {
    const onMessage = (value: unknown) => done(value === "next" ? "next" : "stop");
    const onClose = () => done("stop");
    const done = (answer: "next" | "stop") => {
      port.off("message", onMessage);
      port.off("close", onClose);
      resolve(answer);
    };
    port.on("message", onMessage);
    port.on("close", onClose);
  });
}

async function streamTask({ bytes, name, options }: PrepareTask, port: MessagePort): Promise<null> {
  try {
    const opened = await openImage(bytes, name, options);
    const { original } = opened.head;
    port.postMessage({
      type: "head",
      head: { ...opened.head, original: original === bytes ? null : original },
      frameCount: opened.frameCount,
    } satisfies StreamMessage);
    for (let i = 0; i < opened.frameCount; i++) {
      if ((await reply(port)) === "stop") return null;
      port.postMessage({ type: "frame", frame: await opened.frame(i) } satisfies StreamMessage);
    }
  } catch (error) {
    const { code, message } = refusal(error);
    port.postMessage({ type: "refused", code, message } satisfies StreamMessage);
  } finally {
    port.close();
  }
  return null;
}
