// The workspace's pure parts: keys, undo/redo, drafts, windowing, colormaps and ROI geometry.
import { describe, expect, it } from "vitest";
import { colorize, colormapLut } from "~/lib/review/colormap";
import { draftKey, isEmptyDraft, loadDraft, saveDraft, type Draft } from "~/lib/review/draft";
import { commit, redo, startHistory, undo } from "~/lib/review/history";
import { actionFor } from "~/lib/review/keymap";
import { isMeaningfulBox, movePoint, moveRoi, normalisePoint } from "~/lib/review/roi";
import { dragWindow, windowLut, windowPresets } from "~/lib/review/windowing";

const key = (k: string, mods: Partial<{ ctrlKey: boolean; shiftKey: boolean }> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe("keymap", () => {
  it("maps number keys to classes, Enter to submit and Ctrl+Z to undo", () => {
    expect(actionFor(key("3"))).toEqual({ type: "label", index: 2 });
    expect(actionFor(key("Enter"))).toEqual({ type: "submit" });
    expect(actionFor(key("z", { ctrlKey: true }))).toEqual({ type: "undo" });
    expect(actionFor(key("Z", { ctrlKey: true, shiftKey: true }))).toEqual({ type: "redo" });
    expect(actionFor(key("?"))).toEqual({ type: "help" });
    expect(actionFor(key("H"))).toEqual({ type: "toggleHeatmap" });
    expect(actionFor(key("3", { ctrlKey: true }))).toBeNull();
  });
});

describe("history", () => {
  it("undoes and redoes, and a new change drops the redo branch", () => {
    let h = startHistory<number[]>([]);
    h = commit(h, [1]);
    h = commit(h, [1, 2]);
    h = undo(h);
    expect(h.present).toEqual([1]);
    h = redo(h);
    expect(h.present).toEqual([1, 2]);
    h = undo(undo(h));
    h = commit(h, [9]);
    expect(h.future).toEqual([]);
    expect(undo(startHistory(1))).toEqual(startHistory(1));
  });
});

describe("drafts", () => {
  const store = new Map<string, string>();
  const storage = {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, v),
    removeItem: (k: string) => void store.delete(k),
  };
  const draft: Draft = {
    version: 1,
    baseReadId: null,
    classId: "c1",
    notDiagnostic: false,
    secondOpinion: true,
    comment: "x",
    rois: [
      {
        id: "r",
        shape: "RECTANGLE",
        classId: null,
        points: [
          [0.1, 0.2],
          [0.3, 0.4],
        ],
      },
    ],
    elapsedMs: 5,
    savedAt: 1,
  };
  it("round-trips per user and image, and ignores what is not a draft", () => {
    saveDraft(storage, "u", "i", draft);
    expect(loadDraft(storage, "u", "i")).toEqual(draft);
    expect(loadDraft(storage, "other", "i")).toBeNull();
    store.set(draftKey("u", "bad"), "{not json");
    expect(loadDraft(storage, "u", "bad")).toBeNull();
    expect(isEmptyDraft({ ...draft, classId: null, secondOpinion: false, comment: "", rois: [] })).toBe(true);
  });
});

describe("windowing", () => {
  it("maps the window onto 0..255, inverts, and offers the stored DICOM window", () => {
    const lut = windowLut({ center: 100, width: 100 }, false);
    expect([lut[50], lut[100], lut[150]]).toEqual([0, 128, 255]);
    expect(windowLut({ center: 127.5, width: 255 }, true)[0]).toBe(255);
    const presets = windowPresets({ windowCenter: 32767.5, windowWidth: 65535 });
    expect(presets.find((p) => p.id === "stored")).toMatchObject({ center: 127.5, width: 255 });
    expect(windowPresets({ windowCenter: null, windowWidth: null }).map((p) => p.id)).not.toContain("stored");
    expect(dragWindow({ center: 100, width: 100 }, 50, -20)).toEqual({ center: 90, width: 150 });
  });
});

describe("colormap", () => {
  it("colours by value and makes values under the threshold transparent", () => {
    expect(colormapLut("grey").slice(255 * 3)).toEqual(new Uint8Array([255, 255, 255]));
    const px = new Uint8ClampedArray([10, 10, 10, 255, 250, 250, 250, 255]);
    colorize(px, "jet", 0.5);
    expect(px[3]).toBe(0);
    expect(px[7]).toBe(255);
    expect(px[4]).toBeGreaterThan(px[6]!); // hot end of jet is red
  });
});

describe("ROI geometry", () => {
  it("normalises points, keeps moved ROIs on the image, and ignores a click as a box", () => {
    expect(normalisePoint(50, 300, 100, 200)).toEqual([0.5, 1]);
    const moved = moveRoi(
      {
        id: "a",
        shape: "RECTANGLE",
        classId: null,
        points: [
          [0.8, 0.1],
          [0.9, 0.2],
        ],
      },
      0.5,
      -0.5,
    );
    expect(moved.points).toEqual(
      [
        [0.9, 0],
        [1, 0.1],
      ].map(([x, y]) => [expect.closeTo(x!, 9), expect.closeTo(y!, 9)]),
    );
    expect(isMeaningfulBox([0.1, 0.1], [0.101, 0.3])).toBe(false);
    const resized = movePoint(
      {
        id: "b",
        shape: "RECTANGLE",
        classId: null,
        points: [
          [0.1, 0.1],
          [0.2, 0.2],
        ],
      },
      1,
      [0.5, 0.6],
    );
    expect(resized.points).toEqual([
      [0.1, 0.1],
      [0.5, 0.6],
    ]);
  });
});
