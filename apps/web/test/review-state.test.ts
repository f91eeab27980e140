// The workspace's pure state: the open case's reducer, draft reconciliation (which state a case opens in,
// what autosave does), the viewer's settings with zoom and pan, where each key goes, and the submit input.
import { describe, expect, it } from "vitest";
import { caseReducer, type CaseState } from "~/lib/review/case-state";
import { commandsFor } from "~/lib/review/commands";
import { type Draft } from "~/lib/review/draft";
import { errorInfo, failureKind, signInAgainUrl, submitFailureMessage } from "~/lib/review/errors";
import { actionFor } from "~/lib/review/keymap";
import { autosaveStep, contentKey, draftContent, openCase, type CaseSource } from "~/lib/review/reconcile";
import { type Roi } from "~/lib/review/roi";
import { submitInput } from "~/lib/review/submission";
import { contentSize, fitView, resolveView, zoomView } from "~/lib/review/view";
import {
  initialViewerSettings,
  viewerSettingsReducer,
  type ViewerAction,
  type ViewerSettings,
} from "~/lib/review/viewer-settings";
import { windowPresets } from "~/lib/review/windowing";

const rect = (id: string, classId: string | null = null): Roi => ({
  id,
  shape: "RECTANGLE",
  classId,
  points: [
    [0.1, 0.1],
    [0.3, 0.3],
  ],
});

const source = (over: Partial<CaseSource> = {}): CaseSource => ({
  image: { id: "img-1" },
  head: null,
  annotations: [],
  prediction: { predictedClassId: "covid", maps: [{ classId: "pneumonia" }, { classId: "covid" }] },
  ...over,
});

const head: NonNullable<CaseSource["head"]> = {
  id: "read-1",
  classId: "pneumonia",
  notDiagnostic: false,
  secondOpinion: true,
  notes: "left base",
};

const draft = (over: Partial<Draft> = {}): Draft => ({
  version: 1,
  baseReadId: "read-1",
  classId: "covid",
  notDiagnostic: true,
  secondOpinion: false,
  comment: "draft",
  rois: [rect("d1")],
  elapsedMs: 7000,
  savedAt: 1000,
  ...over,
});

describe("opening a case (draft reconciliation)", () => {
  it("starts from the decision in force and its regions when there is no draft", () => {
    const s = openCase(
      source({
        head,
        annotations: [{ id: "a1", shape: "POINT", classId: null, points: [[0.5, 0.5]], strokeWidth: null }],
      }),
      null,
      null,
    );
    expect(s.decision).toEqual({
      imageId: "img-1",
      baseReadId: "read-1",
      classId: "pneumonia",
      notDiagnostic: false,
      secondOpinion: true,
      comment: "left base",
      // a decision outside reader studies starts without a rating
      studyRating: null,
    });
    // an imported point is shown as the viewer's nearest shape
    expect(s.rois.present[0]).toMatchObject({ id: "a1", shape: "RECTANGLE" });
    expect(s).toMatchObject({ restored: null, catchUp: null, elapsedBefore: 0, heatClassId: "covid" });
    expect(s.openedKey).toBe(s.headKey);
  });

  it("takes the newer draft and has the other copy catch up", () => {
    const local = draft({ savedAt: 2000, comment: "local" });
    const server = draft({ savedAt: 1000, comment: "server" });
    const fromLocal = openCase(source({ head }), local, server);
    expect(fromLocal).toMatchObject({
      restored: "local",
      decision: { comment: "local", notDiagnostic: true },
      catchUp: { to: "server", draft: local },
      elapsedBefore: 7000,
    });
    const fromServer = openCase(source({ head }), server, draft({ savedAt: 3000, comment: "newest" }));
    expect(fromServer).toMatchObject({ restored: "server", catchUp: { to: "local" } });
    expect(fromServer.decision.comment).toBe("newest");
    // a tie: the browser's copy, and nothing to catch up
    expect(openCase(source(), local, local)).toMatchObject({ restored: "local", catchUp: null });
    expect(openCase(source(), local, null).catchUp?.to).toBe("server");
  });

  it("opens on the predicted class's heat map, else the first map's, else none", () => {
    expect(
      openCase(source({ prediction: { predictedClassId: null, maps: [{ classId: "x" }] } }), null, null)
        .heatClassId,
    ).toBe("x");
    expect(openCase(source({ prediction: null }), null, null).heatClassId).toBeNull();
  });
});

describe("autosave steps", () => {
  const opened = openCase(source({ head }), null, null);

  it("writes nothing when unchanged, saves a change, deletes the draft back at the decision in force or at nothing", () => {
    const { decision } = opened;
    expect(autosaveStep(decision, [], opened.openedKey, opened.headKey)).toEqual({ kind: "none" });
    const changed = autosaveStep({ ...decision, comment: "new" }, [], opened.openedKey, opened.headKey);
    expect(changed).toMatchObject({ kind: "save", content: { comment: "new", classId: "pneumonia" } });
    if (changed.kind !== "save") throw new Error("expected a save");
    expect(autosaveStep(decision, [], changed.key, opened.headKey)).toMatchObject({ kind: "clear" });
    const blank = openCase(source(), null, null);
    const drew = autosaveStep(blank.decision, [rect("r")], blank.openedKey, blank.headKey);
    expect(drew.kind).toBe("save");
    if (drew.kind !== "save") throw new Error("expected a save");
    expect(autosaveStep(blank.decision, [], drew.key, blank.headKey)).toMatchObject({ kind: "clear" });
  });

  it("keeps a stroke's width in the draft and nobody else's", () => {
    const stroke: Roi = { ...rect("b"), shape: "BRUSH", strokeWidth: 0.02 };
    const content = draftContent(opened.decision, [stroke, { ...rect("r"), strokeWidth: 0.5 }]);
    expect(content.rois[0]).toHaveProperty("strokeWidth", 0.02);
    expect(content.rois[1]).not.toHaveProperty("strokeWidth");
    expect(contentKey(content)).toBe(contentKey(draftContent(opened.decision, [stroke, rect("r")])));
  });
});

describe("the open case's reducer", () => {
  const start = (): CaseState => openCase(source(), null, null);
  const run = (s: CaseState | null, ...actions: Parameters<typeof caseReducer>[1][]) =>
    actions.reduce(caseReducer, s);

  it("holds nothing before a case opens", () => {
    expect(caseReducer(null, { type: "undo" })).toBeNull();
    expect(caseReducer(null, { type: "open", state: start() })?.decision.imageId).toBe("img-1");
  });

  it("patches and toggles the decision", () => {
    const s = run(
      start(),
      { type: "patch", patch: { classId: "covid" } },
      { type: "toggleNotDiagnostic" },
      { type: "toggleSecondOpinion" },
      { type: "toggleSecondOpinion" },
    );
    expect(s?.decision).toMatchObject({ classId: "covid", notDiagnostic: true, secondOpinion: false });
    expect(run(s, { type: "rebase", baseReadId: "read-9" })?.decision.baseReadId).toBe("read-9");
  });

  it("changes the regions with undo and redo, one step each", () => {
    const s = run(
      start(),
      { type: "changeRois", rois: [rect("a")] },
      { type: "changeRois", rois: [rect("a"), rect("b")] },
      { type: "undo" },
    );
    expect(s?.rois.present.map((r) => r.id)).toEqual(["a"]);
    expect(run(s, { type: "redo" })?.rois.present.map((r) => r.id)).toEqual(["a", "b"]);
    expect(run(s, { type: "roiClass", id: "a", classId: "covid" })?.rois.present[0]?.classId).toBe("covid");
  });

  it("deletes the selected region (or a named one) and clears the selection; nothing to delete is no step", () => {
    const s = run(
      start(),
      { type: "changeRois", rois: [rect("a"), rect("b")] },
      { type: "selectRoi", id: "b" },
    );
    const deleted = run(s, { type: "deleteRoi" });
    expect(deleted?.rois.present.map((r) => r.id)).toEqual(["a"]);
    expect(deleted?.selectedRoiId).toBeNull();
    expect(run(s, { type: "deleteRoi", id: "a" })).toMatchObject({ selectedRoiId: "b" });
    const none = run(s, { type: "selectRoi", id: null });
    expect(run(none, { type: "deleteRoi" })).toBe(none);
    expect(run(s, { type: "deleteRoi", id: "gone" })).toBe(s);
    expect(run(s, { type: "cancel" })?.selectedRoiId).toBeNull();
  });

  it("cycles the heat map through the classes that have one", () => {
    const s = run(start(), { type: "cycleHeatClass", classIds: ["pneumonia", "covid"] });
    expect(s?.heatClassId).toBe("pneumonia");
    expect(run(s, { type: "cycleHeatClass", classIds: ["pneumonia", "covid"] })?.heatClassId).toBe("covid");
    expect(run(s, { type: "cycleHeatClass", classIds: [] })).toBe(s);
    expect(run(s, { type: "heatClass", classId: "x" })?.heatClassId).toBe("x");
  });
});

describe("zoom and pan", () => {
  const frame = { viewport: { width: 1000, height: 500 }, content: { width: 2000, height: 1000 } };

  it("fits the content centred with a margin, and lays side-by-side panels with a gap", () => {
    expect(fitView(frame)).toEqual({ scale: 0.48, x: 20, y: 10 });
    expect(contentSize({ width: 100, height: 50 }, 3)).toEqual({ width: 308, height: 50 });
    expect(resolveView({ fit: false, scale: 2, x: 1, y: 2 }, frame)).toEqual({ scale: 2, x: 1, y: 2 });
  });

  it("zooms about a point, which stays over the same content, within limits", () => {
    const v = zoomView({ scale: 1, x: 0, y: 0 }, 2, { x: 100, y: 50 });
    expect(v).toEqual({ scale: 2, x: -100, y: -50 });
    expect(zoomView(v, 1000, { x: 0, y: 0 }).scale).toBe(40);
  });
});

describe("the viewer's settings", () => {
  const frame = { viewport: { width: 1000, height: 500 }, content: { width: 2000, height: 1000 } };
  const run = (...actions: ViewerAction[]): ViewerSettings =>
    actions.reduce(viewerSettingsReducer, initialViewerSettings);

  it("starts a new tool session on another tool or a cancel, not on the same tool", () => {
    expect(run({ type: "tool", tool: "brush" }).toolSession).toBe(1);
    expect(run({ type: "tool", tool: "select" }).toolSession).toBe(0);
    expect(run({ type: "cancel" }).toolSession).toBe(1);
  });

  it("steps and clamps the brush size", () => {
    expect(run({ type: "brushSize", direction: 1 }, { type: "brushSize", direction: 1 }).brushSize).toBe(32);
    expect(run({ type: "setBrushSize", px: 1000 }).brushSize).toBe(128);
  });

  it("chooses window presets, cycles them, and a dragged window is custom", () => {
    const presets = windowPresets({ windowCenter: null, windowWidth: null });
    const dragged = run({ type: "window", window: { center: 10, width: 20 } });
    expect(dragged).toMatchObject({ presetId: null, window: { center: 10, width: 20 } });
    const cycled = viewerSettingsReducer(dragged, { type: "cycleWindow", presets });
    expect(cycled).toMatchObject({ presetId: "default", window: { center: 127.5, width: 255 } });
    expect(viewerSettingsReducer(cycled, { type: "cycleWindow", presets }).presetId).toBe("lung");
    expect(run({ type: "preset", id: "bone", presets }).window).toEqual({ center: 170, width: 140 });
    expect(run({ type: "preset", id: "nope", presets })).toBe(initialViewerSettings);
  });

  it("toggles the overlay, its colormap, invert and the layout", () => {
    const s = run(
      { type: "toggleHeatmap" },
      { type: "cycleColormap" },
      { type: "invert" },
      { type: "overlay", patch: { opacity: 0.8 } },
    );
    expect(s.overlay).toEqual({ visible: false, opacity: 0.8, colormap: "inferno", threshold: 0.2 });
    expect(s.invert).toBe(true);
    expect(
      run({ type: "cycleColormap" }, { type: "cycleColormap" }, { type: "cycleColormap" }).overlay.colormap,
    ).toBe("jet");
    expect(run({ type: "toggleSourceRois" }).showSourceRois).toBe(false);
  });

  it("zooms and pans from the fitted view once the viewer reported its frame, and fits again on request", () => {
    expect(run({ type: "zoom", factor: 2 })).toBe(initialViewerSettings);
    const zoomed = run({ type: "frame", frame }, { type: "zoom", factor: 2 });
    // about the viewport's centre (500, 250): fitted at 0.48 from (20, 10)
    expect(zoomed.view).toEqual({ fit: false, scale: 0.96, x: -460, y: -230 });
    const panned = viewerSettingsReducer(zoomed, { type: "pan", dx: 60, dy: 0 });
    expect(panned.view).toMatchObject({ x: -400, y: -230 });
    expect(viewerSettingsReducer(panned, { type: "panTo", x: 5, y: 6 }).view).toEqual({
      fit: false,
      scale: 0.96,
      x: 5,
      y: 6,
    });
    expect(viewerSettingsReducer(panned, { type: "actualSize" }).view).toMatchObject({ scale: 1 });
    expect(viewerSettingsReducer(panned, { type: "fit" }).view).toEqual({ fit: true });
    expect(viewerSettingsReducer(panned, { type: "toggleSideBySide" }).view).toEqual({ fit: true });
  });

  it("fits again when the frame changes, and keeps the same state for the same frame", () => {
    const s = run({ type: "frame", frame }, { type: "zoom", factor: 2 });
    expect(viewerSettingsReducer(s, { type: "frame", frame: { ...frame } })).toBe(s);
    expect(
      viewerSettingsReducer(s, { type: "frame", frame: { ...frame, viewport: { width: 900, height: 500 } } })
        .view,
    ).toEqual({ fit: true });
  });
});

describe("keys to commands", () => {
  const key = (k: string) =>
    actionFor({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false })!;
  const ctx = {
    classIds: ["normal", "pneumonia"],
    mapClassIds: ["pneumonia"],
    presets: windowPresets({ windowCenter: null, windowWidth: null }),
  };

  it("sends each key to the viewer, the case or the workspace", () => {
    expect(commandsFor(key("2"), ctx)).toEqual([
      { to: "case", action: { type: "patch", patch: { classId: "pneumonia" } } },
    ]);
    expect(commandsFor(key("9"), ctx)).toEqual([]);
    expect(commandsFor(key("Enter"), ctx)).toEqual([{ to: "workspace", action: "submit" }]);
    expect(commandsFor(key("x"), ctx)).toEqual([{ to: "case", action: { type: "toggleNotDiagnostic" } }]);
    expect(commandsFor(key("d"), ctx)).toEqual([{ to: "viewer", action: { type: "tool", tool: "brush" } }]);
    expect(commandsFor(key("w"), ctx)).toEqual([
      { to: "viewer", action: { type: "cycleWindow", presets: ctx.presets } },
    ]);
    expect(commandsFor(key("g"), ctx)).toEqual([
      { to: "case", action: { type: "cycleHeatClass", classIds: ["pneumonia"] } },
      { to: "viewer", action: { type: "overlay", patch: { visible: true } } },
    ]);
    expect(commandsFor(key("Escape"), ctx).map((c) => c.to)).toEqual(["viewer", "case"]);
  });
});

describe("submitting", () => {
  const data = { image: { id: "img-1" }, labelSetId: "ls", prediction: { id: "p1" }, assignment: null };

  it("builds the submit input from the case state, a width for brush strokes only", () => {
    const opened = openCase(source(), null, null);
    expect(submitInput(data, opened, 10)).toBeNull();
    const s = caseReducer(opened, { type: "patch", patch: { classId: "covid" } })!;
    const withRois = caseReducer(s, {
      type: "changeRois",
      rois: [rect("a"), { ...rect("b"), shape: "BRUSH", strokeWidth: 0.03 }],
    })!;
    expect(submitInput(data, withRois, 1234)).toMatchObject({
      imageId: "img-1",
      labelSetId: "ls",
      classId: "covid",
      predictionId: "p1",
      assignmentId: null,
      durationMs: 1234,
      rois: [
        { shape: "RECTANGLE", strokeWidth: null },
        { shape: "BRUSH", strokeWidth: 0.03 },
      ],
    });
  });

  it("tells the reader what a failure means and what autosave does with it", () => {
    const unauthorized = { message: "no", data: { code: "UNAUTHORIZED", httpStatus: 401 } };
    expect(failureKind(unauthorized)).toBe("unauthorized");
    expect(failureKind(new Error("fetch failed"))).toBe("network");
    expect(failureKind({ message: "x", data: { code: "INTERNAL_SERVER_ERROR", httpStatus: 500 } })).toBe(
      "network",
    );
    expect(failureKind({ message: "x", data: { code: "BAD_REQUEST", httpStatus: 400 } })).toBe("fatal");
    expect(submitFailureMessage(errorInfo(unauthorized))).toMatch(/session has expired/);
    expect(submitFailureMessage(errorInfo(new Error("down")))).toMatch(/could not be reached/);
    expect(submitFailureMessage({ code: "CONFLICT", status: 409, message: "Rosa decided" })).toBe(
      "Rosa decided",
    );
    expect(signInAgainUrl("img-1", "m1")).toBe(
      `/signin?callbackUrl=${encodeURIComponent("/review?case=img-1&model=m1")}`,
    );
  });
});
