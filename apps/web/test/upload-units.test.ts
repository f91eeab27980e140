// The browser side of uploads without a browser: pre-checks, paths, the in-flight bound, folder walking,
// the list's state and the reading of the server's answers.
import pLimit from "p-limit";
import { describe, expect, it } from "vitest";
import { isJunkPath } from "@cxr/ingest/junk-paths";
import {
  describeSummary,
  describeTally,
  isActive,
  phaseLabel,
  reducer,
  tally,
  type UploadItem,
} from "~/app/(app)/upload/model";
import { reasonLabel } from "~/app/(app)/imports/labels";
import { formatBytes, formatDuration, formatRate } from "~/lib/format";
import {
  filesFromDrop,
  filesFromInput,
  walkEntry,
  type DropItemLike,
  type EntryLike,
} from "~/lib/upload/entries";
import { HEAD_BYTES, kindFromBytes, precheckFile } from "~/lib/upload/precheck";
import { cleanUploadPath } from "~/lib/upload/protocol";
import { readAnswer, retryAfterSeconds } from "~/lib/upload/send";

const PNG_HEAD = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
const dicomHead = () => {
  const head = new Uint8Array(HEAD_BYTES);
  head.set([0x44, 0x49, 0x43, 0x4d], 128);
  return head;
};

describe("precheckFile", () => {
  const MiB = 1024 * 1024;
  it("accepts images by name or by their first bytes", () => {
    expect(precheckFile({ name: "a.PNG", size: 10, head: new Uint8Array() }, MiB)).toEqual({
      ok: true,
      kind: "png",
    });
    expect(precheckFile({ name: "series/IM0001", size: 10, head: dicomHead() }, MiB)).toEqual({
      ok: true,
      kind: "dicom",
    });
    expect(precheckFile({ name: "scan.IMA", size: 10, head: dicomHead() }, MiB)).toMatchObject({
      kind: "dicom",
    });
    expect(kindFromBytes(PNG_HEAD)).toBe("png");
    expect(kindFromBytes(new Uint8Array([0x50, 0x4b, 0x03, 0x04]))).toBe("zip");
    expect(kindFromBytes(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe("jpeg");
  });

  it("leaves a name/content mismatch to the server, whose message explains it", () => {
    expect(
      precheckFile({ name: "notes.dcm", size: 30, head: new TextEncoder().encode("hello") }, MiB).ok,
    ).toBe(true);
  });

  it("refuses empty, oversized and obviously foreign files at once, naming the file", () => {
    expect(precheckFile({ name: "a.png", size: 0, head: PNG_HEAD }, MiB)).toEqual({
      ok: false,
      message: "a.png: the file is empty",
    });
    expect(precheckFile({ name: "big.dcm", size: 3 * MiB, head: dicomHead() }, MiB)).toEqual({
      ok: false,
      message: "big.dcm: the file is 3.0 MiB, above the upload limit of 1.0 MiB",
    });
    expect(
      precheckFile({ name: "report.pdf", size: 10, head: new TextEncoder().encode("%PDF-1.7") }, MiB),
    ).toEqual({
      ok: false,
      message: "report.pdf: not a PNG, JPEG, DICOM or zip file (judged from its name and first bytes)",
    });
  });

  it("skips operating-system clutter", () => {
    expect(isJunkPath("study/.DS_Store")).toBe(true);
    expect(isJunkPath("__MACOSX/x.png")).toBe(true);
    expect(isJunkPath("study/Thumbs.db")).toBe(true);
    expect(isJunkPath("study/1.dcm")).toBe(false);
  });
});

describe("cleanUploadPath", () => {
  it("drops traversal, absolute and empty segments and control characters", () => {
    expect(cleanUploadPath("../../etc/passwd")).toBe("etc/passwd");
    expect(cleanUploadPath("/abs/./x.png")).toBe("abs/x.png");
    expect(cleanUploadPath("..\\..\\win\\x.png")).toBe("win/x.png");
    expect(cleanUploadPath("a\u0000b\n.png")).toBe("ab.png");
    expect(cleanUploadPath("../..")).toBe("unnamed file");
    expect(cleanUploadPath(`${"d/".repeat(200)}x.png`)).toHaveLength(255);
    expect(cleanUploadPath(`${"d/".repeat(200)}x.png`).endsWith("/x.png")).toBe(true);
  });
});

describe("the in-flight bound (p-limit)", () => {
  it("never runs more than the bound at once and runs everything in order", async () => {
    const limit = pLimit(3);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const task = (i: number) => async () => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5 + (i % 3)));
      running -= 1;
      order.push(i);
      return i;
    };
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => limit(task(i))));
    expect(results).toEqual([...Array(10).keys()]);
    expect(peak).toBe(3);
    expect(limit.activeCount).toBe(0);
  });

  it("frees the slot of a failing task", async () => {
    const limit = pLimit(1);
    await expect(limit(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await limit(async () => "next")).toBe("next");
    expect(() => pLimit(0)).toThrow();
  });
});

// Minimal stand-ins for the File and Directory Entries API of a dropped folder.
function fileEntry(fullPath: string): EntryLike {
  const name = fullPath.split("/").pop() ?? fullPath;
  return { isFile: true, isDirectory: false, fullPath, file: (ok) => ok(new File(["x"], name)) };
}
function dirEntry(fullPath: string, children: EntryLike[], batch = 2): EntryLike {
  return {
    isFile: false,
    isDirectory: true,
    fullPath,
    createReader: () => {
      let at = 0;
      // like Chromium: a batch at a time, then an empty batch
      return {
        readEntries: (ok) => {
          ok(children.slice(at, at + batch));
          at += batch;
        },
      };
    },
  };
}

describe("folder walking", () => {
  it("walks nested folders read in batches and keeps relative paths", async () => {
    const tree = dirEntry("/study", [
      fileEntry("/study/a.dcm"),
      fileEntry("/study/b.dcm"),
      dirEntry("/study/series2", [fileEntry("/study/series2/c.dcm")]),
      fileEntry("/study/d.png"),
    ]);
    const files = await walkEntry(tree);
    expect(files.map((f) => f.path)).toEqual([
      "study/a.dcm",
      "study/b.dcm",
      "study/series2/c.dcm",
      "study/d.png",
    ]);
    expect(files[0]?.file.name).toBe("a.dcm");
  });

  it("takes entries of a drop, falling back to the plain file where the browser gives no entry", async () => {
    const loose = new File(["y"], "loose.png");
    const items: DropItemLike[] = [
      {
        kind: "file",
        webkitGetAsEntry: () => dirEntry("/scans", [fileEntry("/scans/1.dcm")]),
        getAsFile: () => null,
      },
      { kind: "file", webkitGetAsEntry: () => null, getAsFile: () => loose },
      { kind: "string", getAsFile: () => null },
    ];
    const files = await filesFromDrop(items);
    expect(files.map((f) => f.path)).toEqual(["scans/1.dcm", "loose.png"]);
  });

  it("uses webkitRelativePath for a picked folder", () => {
    const file = new File(["z"], "1.dcm");
    Object.defineProperty(file, "webkitRelativePath", { value: "ct/1.dcm" });
    expect(filesFromInput([file, new File(["w"], "x.png")]).map((f) => f.path)).toEqual([
      "ct/1.dcm",
      "x.png",
    ]);
  });
});

describe("upload list state", () => {
  it("moves items through their phases and tallies zip members one by one", () => {
    let items: UploadItem[] = reducer([], {
      type: "add",
      items: [
        { id: 1, path: "a.png", size: 10 },
        { id: 2, path: "b.zip", size: 20 },
        { id: 3, path: "c.txt", size: 1 },
        { id: 4, path: "d.png", size: 5 },
      ],
    });
    expect(tally(items)).toMatchObject({ files: 4, active: 4 });
    items = reducer(items, {
      type: "phase",
      id: 1,
      phase: { name: "done", results: [{ name: "a.png", status: "IMPORTED", imageIds: ["i1"] }] },
    });
    items = reducer(items, {
      type: "phase",
      id: 2,
      phase: {
        name: "done",
        results: [
          { name: "b.zip/x.png", status: "DUPLICATE", imageIds: ["i1"], message: "already stored" },
          { name: "b.zip/y.txt", status: "REJECTED", imageIds: [], message: "text" },
        ],
      },
    });
    items = reducer(items, {
      type: "phase",
      id: 3,
      phase: { name: "refused", message: "c.txt: not an image" },
    });
    items = reducer(items, { type: "phase", id: 4, phase: { name: "uploading", loaded: 1, total: 5 } });
    const t = tally(items);
    expect(t).toEqual({ files: 4, active: 1, imported: 1, duplicates: 1, rejected: 2, failed: 0 });
    expect(describeTally(t)).toBe("4 files: 1 imported, 1 already stored, 2 rejected, 1 in progress.");
    expect(reducer(items, { type: "clear-finished" }).map((i) => i.id)).toEqual([4]);
    expect(describeTally(tally([]))).toBe("No files yet.");
  });

  it("adds the skipped system files to the summary line", () => {
    const one: UploadItem[] = [{ id: 1, path: "a.png", size: 1, phase: { name: "queued" } }];
    expect(describeSummary(one, 0)).toBe("1 file: 0 imported, 0 already stored, 0 rejected, 1 in progress.");
    expect(describeSummary(one, 1)).toMatch(/in progress\. 1 system file was skipped\.$/);
    expect(describeSummary([], 3)).toBe("No files yet. 3 system files were skipped.");
  });

  it("labels each row by its phase, and a zip by how many of its members were stored", () => {
    expect(phaseLabel({ name: "queued" })).toEqual({ text: "Waiting", tone: "neutral" });
    expect(phaseLabel({ name: "uploading", loaded: 1, total: 3 }).text).toBe("Uploading 33%");
    expect(phaseLabel({ name: "uploading", loaded: 3, total: 3 }).text).toBe("Processing");
    expect(phaseLabel({ name: "refused", message: "x" })).toEqual({ text: "Rejected", tone: "error" });
    const member = (status: "IMPORTED" | "DUPLICATE" | "REJECTED") => ({
      name: status,
      status,
      imageIds: [],
    });
    expect(phaseLabel({ name: "done", results: [member("DUPLICATE")] })).toEqual({
      text: "Already stored · linked",
      tone: "neutral",
    });
    expect(phaseLabel({ name: "done", results: [member("IMPORTED"), member("REJECTED")] })).toEqual({
      text: "1 of 2 stored",
      tone: "warn",
    });
    expect(phaseLabel({ name: "done", results: [member("REJECTED"), member("REJECTED")] }).tone).toBe(
      "error",
    );
    expect(phaseLabel({ name: "done", results: [member("IMPORTED"), member("DUPLICATE")] }).tone).toBe("ok");
  });
});

describe("readAnswer", () => {
  it("reads results, the server's error message, and anything else as a readable failure", () => {
    expect(
      readAnswer(200, JSON.stringify({ results: [{ name: "a", status: "IMPORTED", imageIds: [] }] })),
    ).toEqual({
      ok: true,
      results: [{ name: "a", status: "IMPORTED", imageIds: [] }],
    });
    expect(readAnswer(403, JSON.stringify({ error: "Your role does not allow uploading images." }))).toEqual({
      ok: false,
      status: 403,
      message: "Your role does not allow uploading images.",
    });
    expect(readAnswer(413, "<html>too big</html>")).toMatchObject({
      ok: false,
      message: /larger than the server/,
    });
    expect(readAnswer(200, "{}")).toMatchObject({ ok: false });
    expect(readAnswer(502, "")).toMatchObject({ message: "The server answered HTTP 502. Try again." });
  });

  it("reads a 429 as busy: the server's message and when to send again", () => {
    const busy = JSON.stringify({
      error: "The server is busy with other uploads. This file is sent again in 7 s.",
    });
    expect(readAnswer(429, busy, "7")).toEqual({
      ok: false,
      status: 429,
      message: "The server is busy with other uploads. This file is sent again in 7 s.",
      retryAfterSeconds: 7,
    });
    expect(readAnswer(429, "", null)).toMatchObject({ retryAfterSeconds: 5, message: /busy.*again in 5 s/ });
    expect(retryAfterSeconds("0")).toBe(1);
    expect(retryAfterSeconds("100000")).toBe(300);
    expect(
      retryAfterSeconds(new Date(Date.UTC(2030, 0, 1, 0, 0, 12)).toUTCString(), Date.UTC(2030, 0, 1)),
    ).toBe(12);
    expect(retryAfterSeconds("soon")).toBe(5);
  });

  it("shows a busy file as waiting to be sent again, still active", () => {
    const phase = { name: "busy", message: "The server is busy.", retryInSeconds: 5 } as const;
    expect(phaseLabel(phase)).toEqual({ text: "Server busy · retry in 5 s", tone: "warn" });
    expect(isActive(phase)).toBe(true);
  });
});

describe("formatting", () => {
  it("formats sizes, durations and rates", () => {
    expect(formatBytes(512)).toBe("512 bytes");
    expect(formatBytes(256 * 1024 * 1024)).toBe("256.0 MiB");
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(42.4)).toBe("42 s");
    expect(formatDuration(185)).toBe("3 min 5 s");
    expect(formatDuration(7800)).toBe("2 h 10 min");
    expect(formatRate(0)).toBe("—");
    expect(formatRate(2.345)).toBe("2.3/s");
    expect(formatRate(123.4)).toBe("123/s");
    expect(reasonLabel("MISSING_FILE")).toBe("Missing file");
    expect(reasonLabel(null)).toBe("No reason recorded");
  });
});
