// The upload list's state: one entry per picked file, from its pre-check to the server's answer. A plain
// reducer, so the transitions are tested without a browser.
import { type StatusTone } from "@cxr/ui";
import { type UploadFileResult } from "~/lib/upload/protocol";

export type Phase =
  | { name: "checking" }
  /** refused in the browser before sending (empty, too large, not an image) */
  | { name: "refused"; message: string }
  | { name: "queued" }
  | { name: "uploading"; loaded: number; total: number }
  /** the server answered 429: sent again after Retry-After */
  | { name: "busy"; message: string; retryInSeconds: number }
  | { name: "done"; results: UploadFileResult[] }
  /** the request itself failed (network, HTTP error) */
  | { name: "failed"; message: string }
  | { name: "cancelled" };

export interface UploadItem {
  id: number;
  path: string;
  size: number;
  phase: Phase;
}

export type Action =
  | { type: "add"; items: { id: number; path: string; size: number }[] }
  | { type: "phase"; id: number; phase: Phase }
  | { type: "clear-finished" };

export function reducer(items: UploadItem[], action: Action): UploadItem[] {
  switch (action.type) {
    case "add":
      return [...items, ...action.items.map((i) => ({ ...i, phase: { name: "checking" } as const }))];
    case "phase":
      return items.map((item) => (item.id === action.id ? { ...item, phase: action.phase } : item));
    case "clear-finished":
      return items.filter((item) => isActive(item.phase));
  }
}

export function isActive(phase: Phase): boolean {
  return (
    phase.name === "checking" ||
    phase.name === "queued" ||
    phase.name === "uploading" ||
    phase.name === "busy"
  );
}

export interface Tally {
  files: number;
  active: number;
  imported: number;
  duplicates: number;
  rejected: number;
  failed: number;
}

/** Counts per outcome; a zip counts each of its members. */
export function tally(items: UploadItem[]): Tally {
  const t: Tally = { files: items.length, active: 0, imported: 0, duplicates: 0, rejected: 0, failed: 0 };
  for (const { phase } of items) {
    if (isActive(phase)) t.active += 1;
    else if (phase.name === "refused") t.rejected += 1;
    else if (phase.name === "failed") t.failed += 1;
    else if (phase.name === "done") {
      for (const r of phase.results) {
        if (r.status === "IMPORTED") t.imported += 1;
        else if (r.status === "DUPLICATE") t.duplicates += 1;
        else t.rejected += 1;
      }
    }
  }
  return t;
}

export function describeTally(t: Tally): string {
  if (t.files === 0) return "No files yet.";
  const parts = [
    `${t.imported} imported`,
    `${t.duplicates} already stored`,
    `${t.rejected} rejected`,
    ...(t.failed ? [`${t.failed} failed to send`] : []),
    ...(t.active ? [`${t.active} in progress`] : []),
  ];
  return `${t.files} ${t.files === 1 ? "file" : "files"}: ${parts.join(", ")}.`;
}

/** The summary line under the list: the tally, and the system files skipped without a row. */
export function describeSummary(items: UploadItem[], skipped: number): string {
  const note = skipped > 0 ? ` ${skipped} system ${skipped === 1 ? "file was" : "files were"} skipped.` : "";
  return `${describeTally(tally(items))}${note}`;
}

export interface Label {
  text: string;
  tone: StatusTone;
}

export const resultLabels: Record<UploadFileResult["status"], Label> = {
  IMPORTED: { text: "Imported", tone: "ok" },
  DUPLICATE: { text: "Already stored · linked", tone: "neutral" },
  REJECTED: { text: "Rejected", tone: "error" },
};

/** The pill of a file's row: where it is, or its outcome (a zip: how many of its members were stored). */
export function phaseLabel(phase: Phase): Label {
  switch (phase.name) {
    case "checking":
      return { text: "Checking", tone: "neutral" };
    case "queued":
      return { text: "Waiting", tone: "neutral" };
    case "uploading":
      return {
        text:
          phase.loaded >= phase.total
            ? "Processing"
            : `Uploading ${Math.floor((100 * phase.loaded) / Math.max(phase.total, 1))}%`,
        tone: "neutral",
      };
    case "busy":
      return { text: `Server busy · retry in ${phase.retryInSeconds} s`, tone: "warn" };
    case "refused":
      return { text: "Rejected", tone: "error" };
    case "failed":
      return { text: "Failed", tone: "error" };
    case "cancelled":
      return { text: "Cancelled", tone: "neutral" };
    case "done": {
      const [only] = phase.results;
      if (phase.results.length === 1 && only) return resultLabels[only.status];
      const bad = phase.results.filter((r) => r.status === "REJECTED").length;
      return {
        text: `${phase.results.length - bad} of ${phase.results.length} stored`,
        tone: bad === 0 ? "ok" : bad === phase.results.length ? "error" : "warn",
      };
    }
  }
}
