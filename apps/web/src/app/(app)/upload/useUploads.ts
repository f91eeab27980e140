// The upload list's effects: each picked file is pre-checked, then sent with at most IN_FLIGHT in flight;
// cancelling aborts what is sending and what waits; leaving the page while files are active asks first.
import pLimit from "p-limit";
import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import { isJunkPath } from "@cxr/ingest/junk-paths";
import { type PickedFile } from "~/lib/upload/entries";
import { HEAD_BYTES, precheckFile } from "~/lib/upload/precheck";
import { sendFile, type SendOutcome } from "~/lib/upload/send";
import { isActive, reducer } from "./model";

/**
 * Files in flight at once: enough to keep the connection busy, no more than the server takes at once (two per
 * process; beyond that it answers 429 and the file is sent again after Retry-After).
 */
const IN_FLIGHT = 2;

/** Resolves after `seconds`, or at once when the upload is cancelled. */
function pause(seconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, seconds * 1000);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

export function useUploads(maxFileBytes: number) {
  const [items, dispatch] = useReducer(reducer, []);
  const [skipped, setSkipped] = useState(0);
  const nextId = useRef(1);
  const limiter = useRef(pLimit(IN_FLIGHT));
  const controllers = useRef(new Map<number, AbortController>());

  const active = items.some((item) => isActive(item.phase));

  const upload = useCallback(async (id: number, picked: PickedFile, signal: AbortSignal) => {
    await limiter.current(async () => {
      // cancelled while waiting for its turn (or while being checked): it never starts
      if (signal.aborted) {
        dispatch({ type: "phase", id, phase: { name: "cancelled" } });
        return;
      }
      let outcome: SendOutcome;
      for (;;) {
        dispatch({ type: "phase", id, phase: { name: "uploading", loaded: 0, total: picked.file.size } });
        outcome = await sendFile(picked.file, picked.path, {
          signal,
          onProgress: (loaded, total) =>
            dispatch({ type: "phase", id, phase: { name: "uploading", loaded, total } }),
        });
        // the server is busy with other uploads: wait as it asks, then send again (until cancelled)
        if (outcome.ok || outcome.retryAfterSeconds === undefined || signal.aborted) break;
        const wait = outcome.retryAfterSeconds;
        dispatch({
          type: "phase",
          id,
          phase: { name: "busy", message: outcome.message, retryInSeconds: wait },
        });
        await pause(wait, signal);
        if (signal.aborted) {
          outcome = { ok: false, status: 0, message: "Cancelled.", cancelled: true };
          break;
        }
      }
      dispatch({
        type: "phase",
        id,
        phase: outcome.ok
          ? { name: "done", results: outcome.results }
          : outcome.cancelled
            ? { name: "cancelled" }
            : { name: "failed", message: outcome.message },
      });
    });
  }, []);

  const add = useCallback(
    (picked: PickedFile[]) => {
      const wanted = picked.filter((p) => !isJunkPath(p.path));
      setSkipped((n) => n + picked.length - wanted.length);
      const entries = wanted.map((p) => ({ id: nextId.current++, picked: p }));
      dispatch({
        type: "add",
        items: entries.map(({ id, picked: p }) => ({ id, path: p.path, size: p.file.size })),
      });
      for (const { id, picked: p } of entries) {
        const controller = new AbortController();
        controllers.current.set(id, controller);
        void (async () => {
          const head = new Uint8Array(await p.file.slice(0, HEAD_BYTES).arrayBuffer());
          const check = precheckFile({ name: p.path, size: p.file.size, head }, maxFileBytes);
          if (!check.ok) {
            dispatch({ type: "phase", id, phase: { name: "refused", message: check.message } });
          } else {
            dispatch({ type: "phase", id, phase: { name: "queued" } });
            await upload(id, p, controller.signal);
          }
          controllers.current.delete(id);
        })().catch((error: unknown) => {
          controllers.current.delete(id);
          const message = error instanceof Error ? error.message : String(error);
          dispatch({
            type: "phase",
            id,
            phase: { name: "failed", message: `${p.path}: could not be read (${message})` },
          });
        });
      }
    },
    [maxFileBytes, upload],
  );

  const cancelAll = () => {
    for (const controller of controllers.current.values()) controller.abort();
    // queued files never start; mark them now rather than when their slot comes
    for (const item of items)
      if (item.phase.name === "queued")
        dispatch({ type: "phase", id: item.id, phase: { name: "cancelled" } });
  };

  const clearFinished = () => dispatch({ type: "clear-finished" });

  useEffect(() => {
    if (!active) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [active]);

  return { items, skipped, active, add, cancelAll, clearFinished };
}
