"use client";
import { Button, Card, DropZone, EmptyState, ProgressBar, StatusPill, type StatusTone } from "@cxr/ui";
import pLimit from "p-limit";
import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import { formatBytes } from "~/lib/format";
import { filesFromDrop, filesFromInput, type PickedFile } from "~/lib/upload/entries";
import { isJunkPath } from "@cxr/ingest/junk-paths";
import { HEAD_BYTES, precheckFile } from "~/lib/upload/precheck";
import { type UploadFileResult } from "~/lib/upload/protocol";
import { sendFile } from "~/lib/upload/send";
import { describeTally, isActive, reducer, tally, type UploadItem } from "./model";

/** Files in flight at once: enough to keep the connection busy, few enough not to flood a small server. */
const IN_FLIGHT = 3;

export function UploadPanel({ maxFileBytes }: { maxFileBytes: number }) {
  const [items, dispatch] = useReducer(reducer, []);
  const [skipped, setSkipped] = useState(0);
  const nextId = useRef(1);
  const limiter = useRef(pLimit(IN_FLIGHT));
  const controllers = useRef(new Map<number, AbortController>());
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);

  const active = items.some((item) => isActive(item.phase));

  const upload = useCallback(async (id: number, picked: PickedFile, signal: AbortSignal) => {
    await limiter.current(async () => {
      // cancelled while waiting for its turn (or while being checked): it never starts
      if (signal.aborted) {
        dispatch({ type: "phase", id, phase: { name: "cancelled" } });
        return;
      }
      dispatch({ type: "phase", id, phase: { name: "uploading", loaded: 0, total: picked.file.size } });
      const outcome = await sendFile(picked.file, picked.path, {
        signal,
        onProgress: (loaded, total) =>
          dispatch({ type: "phase", id, phase: { name: "uploading", loaded, total } }),
      });
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

  useEffect(() => {
    folderInput.current?.setAttribute("webkitdirectory", "");
  }, []);

  // A file dropped beside the zone would make the browser open it and leave the page, cancelling uploads.
  useEffect(() => {
    const swallow = (event: DragEvent) => {
      if (event.dataTransfer?.types.includes("Files")) event.preventDefault();
    };
    window.addEventListener("dragover", swallow);
    window.addEventListener("drop", swallow);
    return () => {
      window.removeEventListener("dragover", swallow);
      window.removeEventListener("drop", swallow);
    };
  }, []);

  useEffect(() => {
    if (!active) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [active]);

  const summary = describeTally(tally(items));

  return (
    <div className="stack">
      <DropZone
        label="Upload images"
        title="Drop files or folders here"
        description={`PNG, JPEG, DICOM or zip, up to ${formatBytes(maxFileBytes)} per file. Folders are searched; system files such as .DS_Store are skipped.`}
        onDrop={(dataTransfer) => {
          const files = dataTransfer.items?.length
            ? filesFromDrop(dataTransfer.items)
            : Promise.resolve(filesFromInput(dataTransfer.files));
          void files.then(add);
        }}
      >
        <Button variant="secondary" onClick={() => filesInput.current?.click()}>
          Choose files
        </Button>
        <Button variant="secondary" onClick={() => folderInput.current?.click()}>
          Choose a folder
        </Button>
        {/* no `accept`: DICOM files often have no extension and would be greyed out in the picker */}
        <input
          ref={filesInput}
          type="file"
          multiple
          hidden
          aria-label="Files to upload"
          onChange={(event) => {
            add(filesFromInput(event.currentTarget.files ?? []));
            event.currentTarget.value = ""; // picking the same file again must fire change
          }}
        />
        <input
          ref={folderInput}
          type="file"
          multiple
          hidden
          aria-label="Folder to upload"
          onChange={(event) => {
            add(filesFromInput(event.currentTarget.files ?? []));
            event.currentTarget.value = "";
          }}
        />
      </DropZone>

      <Card
        title="Files"
        actions={
          <>
            {active ? (
              <Button variant="danger" size="sm" onClick={cancelAll}>
                Cancel remaining
              </Button>
            ) : null}
            {items.length > 0 && items.some((item) => !isActive(item.phase)) ? (
              <Button variant="ghost" size="sm" onClick={() => dispatch({ type: "clear-finished" })}>
                Clear finished
              </Button>
            ) : null}
          </>
        }
      >
        <p className="upload-summary" role="status" aria-live="polite" data-testid="upload-summary">
          {summary}
          {skipped > 0 ? ` ${skipped} system ${skipped === 1 ? "file was" : "files were"} skipped.` : ""}
        </p>
        {items.length === 0 ? (
          <EmptyState
            title="Nothing uploaded yet"
            description="Files you drop or choose appear here with their progress and result."
          />
        ) : (
          <ul className="upload-list" aria-label="Uploads">
            {items.map((item) => (
              <UploadRow key={item.id} item={item} />
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}

const statusLabels: Record<UploadFileResult["status"], { text: string; tone: StatusTone }> = {
  IMPORTED: { text: "Imported", tone: "ok" },
  DUPLICATE: { text: "Already stored · linked", tone: "neutral" },
  REJECTED: { text: "Rejected", tone: "error" },
};

function UploadRow({ item }: { item: UploadItem }) {
  const { phase } = item;
  return (
    <li className="upload-item" data-phase={phase.name}>
      <div className="upload-item__head">
        <span className="upload-item__name" title={item.path}>
          {item.path}
        </span>
        <span className="upload-item__size">{formatBytes(item.size)}</span>
        <PhasePill item={item} />
      </div>
      {phase.name === "uploading" ? (
        phase.loaded >= phase.total ? (
          <ProgressBar label={`Processing ${item.path}`} valueText="checking and storing on the server" />
        ) : (
          <ProgressBar
            label={`Upload of ${item.path}`}
            value={phase.loaded}
            max={phase.total}
            valueText={`${formatBytes(phase.loaded)} of ${formatBytes(phase.total)}`}
          />
        )
      ) : null}
      {phase.name === "refused" || phase.name === "failed" ? (
        <p className="upload-item__message">{phase.message}</p>
      ) : null}
      {phase.name === "done" ? <Results results={phase.results} /> : null}
    </li>
  );
}

function PhasePill({ item }: { item: UploadItem }) {
  const { phase } = item;
  switch (phase.name) {
    case "checking":
      return <StatusPill tone="neutral">Checking</StatusPill>;
    case "queued":
      return <StatusPill tone="neutral">Waiting</StatusPill>;
    case "uploading":
      return (
        <StatusPill tone="neutral">
          {phase.loaded >= phase.total
            ? "Processing"
            : `Uploading ${Math.floor((100 * phase.loaded) / Math.max(phase.total, 1))}%`}
        </StatusPill>
      );
    case "refused":
      return <StatusPill tone="error">Rejected</StatusPill>;
    case "failed":
      return <StatusPill tone="error">Failed</StatusPill>;
    case "cancelled":
      return <StatusPill tone="neutral">Cancelled</StatusPill>;
    case "done": {
      const [only] = phase.results;
      if (phase.results.length === 1 && only) {
        const label = statusLabels[only.status];
        return <StatusPill tone={label.tone}>{label.text}</StatusPill>;
      }
      const bad = phase.results.filter((r) => r.status === "REJECTED").length;
      return (
        <StatusPill tone={bad === 0 ? "ok" : bad === phase.results.length ? "error" : "warn"}>
          {phase.results.length - bad} of {phase.results.length} stored
        </StatusPill>
      );
    }
  }
}

/** The server's answer: one line for a single image, one line per member for a zip. */
function Results({ results }: { results: UploadFileResult[] }) {
  const [only] = results;
  if (results.length === 1 && only) {
    return only.message ? <Message status={only.status} text={only.message} /> : null;
  }
  return (
    <ul className="upload-members" aria-label="Files in the archive">
      {results.map((r) => (
        <li key={r.name}>
          <StatusPill tone={statusLabels[r.status].tone}>{statusLabels[r.status].text}</StatusPill>{" "}
          <span className="upload-item__name">{r.name}</span>
          {r.message ? <Message status={r.status} text={r.message} /> : null}
        </li>
      ))}
    </ul>
  );
}

function Message({ status, text }: { status: UploadFileResult["status"]; text: string }) {
  return <p className={`upload-item__message upload-item__message--${status.toLowerCase()}`}>{text}</p>;
}
