// The workspace's pure parts: keys, undo/redo, drafts and their server sync, windowing, colormaps, ROI
// geometry, the brush and the eraser.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DraftSync, type SyncOp, type SyncStatus } from "~/lib/review/autosave";
import {
  BRUSH_SIZES,
  eraseRois,
  finishStroke,
  stepBrushSize,
  strokeWidthFor,
  thinPoints,
} from "~/lib/review/brush";
import { colorize, colormapLut } from "~/lib/review/colormap";
import {
  draftKey,
  draftSchema,
  isEmptyDraft,
  loadDraft,
  newerDraft,
  saveDraft,
  type Draft,
} from "~/lib/review/draft";
import { commit, redo, startHistory, undo } from "~/lib/review/history";
import { actionFor } from "~/lib/review/keymap";
import { newSubmissionId, submitAttempt } from "~/lib/review/submission";
import { boxOf, isMeaningfulBox, movePoint, moveRoi, normalisePoint, type Roi } from "~/lib/review/roi";
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
    // the label set's hotkeys win over the order: "q" picks the first class, "1" the third, "2" still the second
    const hotkeys = ["q", null, "1"];
    expect(actionFor(key("q"), hotkeys)).toEqual({ type: "label", index: 0 });
    expect(actionFor(key("Q"), hotkeys)).toEqual({ type: "label", index: 0 });
    expect(actionFor(key("1"), hotkeys)).toEqual({ type: "label", index: 2 });
    expect(actionFor(key("2"), hotkeys)).toEqual({ type: "label", index: 1 });
    expect(actionFor(key("q"))).toBeNull();
    expect(actionFor(key("Enter"))).toEqual({ type: "submit" });
    expect(actionFor(key("z", { ctrlKey: true }))).toEqual({ type: "undo" });
    expect(actionFor(key("Z", { ctrlKey: true, shiftKey: true }))).toEqual({ type: "redo" });
    expect(actionFor(key("?"))).toEqual({ type: "help" });
    expect(actionFor(key("H"))).toEqual({ type: "toggleHeatmap" });
    expect(actionFor(key("3", { ctrlKey: true }))).toBeNull();
  });

  it("has a brush (D), a lasso (L), the eraser (K) and [ ] for their size", () => {
    expect(actionFor(key("d"))).toEqual({ type: "tool", tool: "brush" });
    expect(actionFor(key("l"))).toEqual({ type: "tool", tool: "freehand" });
    expect(actionFor(key("k"))).toEqual({ type: "tool", tool: "eraser" });
    expect(actionFor(key("["))).toEqual({ type: "brushSize", direction: -1 });
    expect(actionFor(key("]"))).toEqual({ type: "brushSize", direction: 1 });
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
    // the same box in pixels from either pair of opposite corners
    expect(boxOf([0.75, 0.5], [0.25, 0.1], 200, 100)).toEqual({ x: 50, y: 10, w: 100, h: 40 });
    expect(boxOf([0.25, 0.1], [0.75, 0.5], 200, 100)).toEqual({ x: 50, y: 10, w: 100, h: 40 });
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

const stroke = (points: [number, number][], strokeWidth = 0.02, id = "s"): Roi => ({
  id,
  shape: "BRUSH",
  classId: "c",
  points,
  strokeWidth,
});

describe("brush", () => {
  it("steps through sizes with [ and ], and turns a screen size into a width of the image", () => {
    expect(stepBrushSize(16, 1)).toBe(24);
    expect(stepBrushSize(16, -1)).toBe(12);
    expect(stepBrushSize(13, 1)).toBe(16);
    expect(stepBrushSize(BRUSH_SIZES[0], -1)).toBe(BRUSH_SIZES[0]);
    expect(stepBrushSize(128, 1)).toBe(128);
    // 32 px on screen at half zoom is 64 image pixels: an eighth of a 512-pixel-wide image
    expect(strokeWidthFor(32, 0.5, 512)).toBeCloseTo(0.125);
    expect(finishStroke([[0.2, 0.3]])).toEqual([
      [0.2, 0.3],
      [0.2, 0.3],
    ]);
    const long = Array.from({ length: 5000 }, (_, i) => [i / 5000, 0.5] as [number, number]);
    const thin = thinPoints(long);
    expect(thin).toHaveLength(2000);
    expect(thin[0]).toEqual(long[0]);
    expect(thin.at(-1)).toEqual(long.at(-1));
  });
});

describe("eraser", () => {
  const line = stroke([
    [0.1, 0.5],
    [0.9, 0.5],
  ]);

  it("cuts a brush stroke where it passes, into two strokes of the same width and class", () => {
    const out = eraseRois(
      [line],
      [
        [0.5, 0.3],
        [0.5, 0.7],
      ],
      0.1,
      1,
    );
    expect(out).toHaveLength(2);
    const [left, right] = out as [Roi, Roi];
    expect(left.id).toBe("s");
    expect(right.id).not.toBe("s");
    for (const piece of out) expect(piece).toMatchObject({ shape: "BRUSH", classId: "c", strokeWidth: 0.02 });
    // the cut is the eraser's half width plus the stroke's half width each side of x = 0.5
    expect(left.points[0]).toEqual([0.1, 0.5]);
    expect(Math.max(...left.points.map((p) => p[0]))).toBeLessThanOrEqual(0.5 - 0.06 + 1e-9);
    expect(Math.max(...left.points.map((p) => p[0]))).toBeGreaterThan(0.5 - 0.06 - 0.03);
    expect(Math.min(...right.points.map((p) => p[0]))).toBeGreaterThanOrEqual(0.5 + 0.06 - 1e-9);
    expect(right.points.at(-1)).toEqual([0.9, 0.5]);
  });

  it("rubs out a whole stroke it covers, and leaves the array as it was when it touches nothing", () => {
    expect(eraseRois([line], [[0.5, 0.5]], 2, 1)).toEqual([]);
    const rois = [line];
    expect(eraseRois(rois, [[0.5, 0.9]], 0.1, 1)).toBe(rois);
  });

  it("measures in image pixels on a wide image (aspect) ", () => {
    // a 1000 x 500 image: 0.1 of the height is 50 px, 0.05 of the width
    const vertical = stroke(
      [
        [0.5, 0.1],
        [0.5, 0.9],
      ],
      0.01,
    );
    const near = [[0.5 + 0.04, 0.5]] as [number, number][];
    expect(eraseRois([vertical], near, 0.1, 0.5)).not.toEqual([vertical]);
    const far = [[0.5 + 0.07, 0.5]] as [number, number][];
    expect(eraseRois([vertical], far, 0.1, 0.5)).toEqual([vertical]);
  });

  it("deletes an outline or box it touches, inside or on its edge", () => {
    const box: Roi = {
      id: "b",
      shape: "RECTANGLE",
      classId: null,
      points: [
        [0.2, 0.2],
        [0.4, 0.4],
      ],
    };
    const polygon: Roi = {
      id: "p",
      shape: "POLYGON",
      classId: null,
      points: [
        [0.6, 0.6],
        [0.8, 0.6],
        [0.7, 0.8],
      ],
    };
    expect(eraseRois([box, polygon], [[0.3, 0.3]], 0.01, 1).map((r) => r.id)).toEqual(["p"]);
    expect(eraseRois([box, polygon], [[0.7, 0.65]], 0.01, 1).map((r) => r.id)).toEqual(["b"]);
    // a drag across the box's edge from outside
    expect(
      eraseRois(
        [box],
        [
          [0.1, 0.3],
          [0.25, 0.3],
        ],
        0.01,
        1,
      ),
    ).toEqual([]);
    expect(eraseRois([box], [[0.5, 0.5]], 0.02, 1)).toEqual([box]);
  });
});

describe("server drafts in the browser", () => {
  const base: Draft = {
    version: 1,
    baseReadId: null,
    classId: "c1",
    notDiagnostic: false,
    secondOpinion: false,
    comment: "",
    rois: [
      {
        ...stroke([
          [0.1, 0.1],
          [0.2, 0.2],
        ]),
        strokeWidth: 0.03,
      },
    ],
    elapsedMs: 0,
    savedAt: 100,
  };

  it("takes the newer of the browser's and the server's copy", () => {
    const older = { ...base, savedAt: 50 };
    expect(newerDraft(base, older)).toEqual({ draft: base, from: "local" });
    expect(newerDraft(older, base)).toEqual({ draft: base, from: "server" });
    expect(newerDraft(null, base)?.from).toBe("server");
    expect(newerDraft(base, null)?.from).toBe("local");
    expect(newerDraft(base, base)?.from).toBe("local");
    expect(newerDraft(null, null)).toBeNull();
    expect(draftSchema.parse(base).rois[0]?.strokeWidth).toBe(0.03);
  });

  describe("DraftSync", () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());

    const offline = Object.assign(new Error("Failed to fetch"), { kind: "network" });
    const expired = Object.assign(new Error("Sign in to continue."), { kind: "unauthorized" });
    const refused = Object.assign(new Error("Bad draft"), { kind: "fatal" });
    type Kind = "network" | "unauthorized" | "fatal";

    function setup(send: (imageId: string, op: SyncOp) => Promise<void>) {
      const statuses: [string, SyncStatus["state"]][] = [];
      const sync = new DraftSync({
        send,
        classify: (e) => (e as { kind: Kind }).kind,
        onStatus: (id, s) => statuses.push([id, s.state]),
        debounceMs: 500,
        backoffMs: (n) => 1000 * 2 ** n,
      });
      return { sync, statuses, last: () => statuses.at(-1)?.[1] };
    }

    it("debounces: one request with the newest version after a pause", async () => {
      const sent: SyncOp[] = [];
      const { sync, last } = setup(async (_id, op) => void sent.push(op));
      sync.schedule("a", { kind: "save", draft: { ...base, comment: "1" } });
      await vi.advanceTimersByTimeAsync(300);
      sync.schedule("a", { kind: "save", draft: { ...base, comment: "2" } });
      expect(last()).toBe("pending");
      await vi.advanceTimersByTimeAsync(499);
      expect(sent).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(sent).toEqual([{ kind: "save", draft: { ...base, comment: "2" } }]);
      expect(last()).toBe("saved");
    });

    it("retries with growing delays while offline, then saves", async () => {
      let fail = 3;
      const sent: number[] = [];
      const { sync, statuses, last } = setup(async () => {
        sent.push(Date.now());
        if (fail-- > 0) throw offline;
      });
      sync.schedule("a", { kind: "save", draft: base });
      await vi.advanceTimersByTimeAsync(500);
      expect(last()).toBe("offline");
      await vi.advanceTimersByTimeAsync(1000 + 2000 + 4000);
      expect(sent).toHaveLength(4);
      expect(sent.slice(1).map((t, i) => t - sent[i]!)).toEqual([1000, 2000, 4000]);
      expect(last()).toBe("saved");
      expect(statuses.filter(([, s]) => s === "offline")).toHaveLength(3);
    });

    it("pauses on an expired session until resumed, keeping the newest version", async () => {
      let signedIn = false;
      const sent: SyncOp[] = [];
      const { sync, last } = setup(async (_id, op) => {
        if (!signedIn) throw expired;
        sent.push(op);
      });
      sync.schedule("a", { kind: "save", draft: base });
      await vi.advanceTimersByTimeAsync(500);
      expect(last()).toBe("unauthorized");
      sync.schedule("a", { kind: "save", draft: { ...base, comment: "later" } });
      await vi.advanceTimersByTimeAsync(60_000);
      expect(last()).toBe("unauthorized");
      signedIn = true;
      sync.resume();
      await vi.advanceTimersByTimeAsync(0);
      expect(sent).toEqual([{ kind: "save", draft: { ...base, comment: "later" } }]);
      expect(last()).toBe("saved");
    });

    it("drops what the server refuses, and what a submit cancels", async () => {
      const sent: string[] = [];
      const { sync, last } = setup(async (id) => {
        sent.push(id);
        if (id === "bad") throw refused;
      });
      sync.schedule("bad", { kind: "save", draft: base });
      await vi.advanceTimersByTimeAsync(500);
      expect(last()).toBe("error");
      await vi.advanceTimersByTimeAsync(10_000);
      expect(sent).toEqual(["bad"]);
      sync.schedule("b", { kind: "save", draft: base });
      await sync.cancel("b");
      await vi.advanceTimersByTimeAsync(10_000);
      expect(sent).toEqual(["bad"]);
      expect(sync.busy("b")).toBe(false);
    });

    it("lets a save in flight finish before a cancel returns (so a submit comes after it)", async () => {
      const order: string[] = [];
      let release = () => {};
      const { sync } = setup(
        () =>
          new Promise<void>((r) => {
            order.push("save started");
            release = () => {
              order.push("save done");
              r();
            };
          }),
      );
      sync.schedule("a", { kind: "save", draft: base });
      await vi.advanceTimersByTimeAsync(500);
      const cancelled = sync.cancel("a").then(() => order.push("cancel returned"));
      await vi.advanceTimersByTimeAsync(100);
      expect(order).toEqual(["save started"]);
      release();
      await cancelled;
      expect(order).toEqual(["save started", "save done", "cancel returned"]);
    });
  });
});

describe("submit attempts", () => {
  const input = {
    imageId: "img",
    labelSetId: "ls",
    baseReadId: null,
    classId: "c1",
    predictionId: null,
    durationMs: 1000,
  };
  let n = 0;
  const next = () => `id-${++n}`;

  it("keeps the id for the same decision sent again (a later clock is still the same attempt)", () => {
    const first = submitAttempt(undefined, input, next);
    const again = submitAttempt(first, { ...input, durationMs: 5000 }, next);
    expect(again.submissionId).toBe(first.submissionId);
  });

  it("gives a changed decision a new id", () => {
    const first = submitAttempt(undefined, input, next);
    expect(submitAttempt(first, { ...input, classId: "c2" }, next).submissionId).not.toBe(first.submissionId);
  });

  it("makes v4 UUIDs the server accepts, with or without crypto.randomUUID", () => {
    const v4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(newSubmissionId()).toMatch(v4);
    // as on plain http to a host other than localhost
    const original = crypto.randomUUID;
    Object.defineProperty(crypto, "randomUUID", { value: undefined, configurable: true, writable: true });
    try {
      const ids = new Set(Array.from({ length: 50 }, () => newSubmissionId()));
      expect(ids.size).toBe(50);
      for (const id of ids) expect(id).toMatch(v4);
    } finally {
      Object.defineProperty(crypto, "randomUUID", { value: original, configurable: true, writable: true });
    }
  });
});
