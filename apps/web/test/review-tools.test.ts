// Each ROI tool as the viewer drives it: pointer down, moves and up (or a double-click, or leaving the image)
// in normalised image coordinates, and what it emits: the ROI list after the gesture, or a selection.
import { describe, expect, it } from "vitest";
import { type Point, type Roi } from "~/lib/review/roi";
import { IDLE, roiTools, shownRois, type Target, type ToolContext, type ToolState } from "~/lib/review/tools";
import { CLOSE_PX } from "~/lib/review/tools/polygon";
import { startWindowDrag, windowDuringDrag } from "~/lib/review/tools/window-level";
import { type Tool } from "~/lib/review/keymap";

const image: Target = { kind: "image" };

/** a 1000 x 500 image shown at half size: 1 screen pixel is 2 image pixels */
const context = (over: Partial<ToolContext> = {}): ToolContext => ({
  rois: [],
  classId: "covid",
  selectedId: null,
  width: 1000,
  height: 500,
  scale: 0.5,
  brushSize: 16,
  ...over,
});

type Event =
  { down: Point; target?: Target } | { move: Point } | { up: true } | { leave: true } | { dbl: true };

/** Plays events through a tool; returns its last state and everything it emitted. */
function play(tool: Tool, events: Event[], ctx = context(), from: ToolState = IDLE) {
  const machine = roiTools[tool];
  let state = from;
  const commits: Roi[][] = [];
  const selections: (string | null)[] = [];
  for (const e of events) {
    const step =
      "down" in e
        ? machine.down(state, e.down, e.target ?? image, ctx)
        : "move" in e
          ? machine.move(state, e.move, ctx)
          : "up" in e
            ? machine.up(state, ctx)
            : "leave" in e
              ? machine.leave(state, ctx)
              : machine.doubleClick(state, ctx);
    state = step.state;
    if (step.commit) commits.push(step.commit);
    if (step.select !== undefined) selections.push(step.select);
  }
  return { state, commits, selections };
}

const box = (id: string, a: Point, b: Point, shape: Roi["shape"] = "RECTANGLE"): Roi => ({
  id,
  shape,
  classId: null,
  points: [a, b],
});

describe("rectangle and ellipse", () => {
  it("drag a box from corner to corner, with the decision's class, after the regions there are", () => {
    const before = box("old", [0, 0], [0.1, 0.1]);
    const { state, commits } = play(
      "rectangle",
      [{ down: [0.2, 0.2] }, { move: [0.3, 0.25] }, { move: [0.4, 0.5] }, { up: true }],
      context({ rois: [before] }),
    );
    expect(state).toEqual(IDLE);
    expect(commits).toHaveLength(1);
    const [old, drawn] = commits[0]!;
    expect(old).toBe(before);
    expect(drawn).toMatchObject({
      shape: "RECTANGLE",
      classId: "covid",
      points: [
        [0.2, 0.2],
        [0.4, 0.5],
      ],
    });
    const ellipse = play("ellipse", [{ down: [0.6, 0.6] }, { move: [0.7, 0.8] }, { up: true }]);
    expect(ellipse.commits[0]?.[0]?.shape).toBe("ELLIPSE");
  });

  it("shows the box while it is dragged and adds nothing for a click", () => {
    const dragging = play("rectangle", [{ down: [0.2, 0.2] }, { move: [0.3, 0.3] }]);
    expect(dragging.state).toMatchObject({
      kind: "drawing",
      roi: {
        points: [
          [0.2, 0.2],
          [0.3, 0.3],
        ],
      },
    });
    expect(dragging.commits).toEqual([]);
    const click = play("rectangle", [{ down: [0.2, 0.2] }, { move: [0.201, 0.2] }, { up: true }]);
    expect(click).toEqual({ state: IDLE, commits: [], selections: [] });
  });
});

describe("polygon", () => {
  const clicks = (points: Point[]): Event[] => points.flatMap((p) => [{ down: p }, { up: true as const }]);

  it("adds a vertex per click and closes on a click near the first vertex", () => {
    // 10 screen pixels at half size are 20 image pixels: 0.02 of the width, 0.04 of the height
    const near: Point = [0.1 + 0.01, 0.1 + 0.01];
    expect(Math.hypot(0.01 * 1000, 0.01 * 500) * 0.5).toBeLessThan(CLOSE_PX);
    const { state, commits } = play("polygon", clicks([[0.1, 0.1], [0.3, 0.1], [0.2, 0.3], near]));
    expect(state).toEqual(IDLE);
    expect(commits[0]?.[0]).toMatchObject({
      shape: "POLYGON",
      points: [
        [0.1, 0.1],
        [0.3, 0.1],
        [0.2, 0.3],
      ],
    });
  });

  it("closes on a double-click on one spot (dropping its duplicate vertex), not on two quick clicks apart", () => {
    const drawn = play(
      "polygon",
      clicks([
        [0.1, 0.1],
        [0.3, 0.1],
      ]),
    );
    // two quick clicks in different places: konva calls that a double-click too
    const apart = play("polygon", [...clicks([[0.2, 0.3]]), { dbl: true }], context(), drawn.state);
    expect(apart.commits).toEqual([]);
    expect(apart.state).toMatchObject({ kind: "drawing" });
    const closed = play("polygon", [...clicks([[0.2, 0.3]]), { dbl: true }], context(), apart.state);
    expect(closed.commits[0]?.[0]?.points).toEqual([
      [0.1, 0.1],
      [0.3, 0.1],
      [0.2, 0.3],
    ]);
  });

  it("drops an outline of fewer than three vertices", () => {
    const { state, commits } = play("polygon", [
      ...clicks([
        [0.1, 0.1],
        [0.1, 0.1],
      ]),
      { dbl: true },
    ]);
    expect(state).toEqual(IDLE);
    expect(commits).toEqual([]);
  });
});

describe("lasso (freehand)", () => {
  it("keeps a point every few screen pixels and closes the outline on release", () => {
    const { commits } = play("freehand", [
      { down: [0.1, 0.1] },
      // 1 image pixel: under the spacing, skipped
      { move: [0.101, 0.1] },
      { move: [0.2, 0.1] },
      { move: [0.2, 0.2] },
      { up: true },
    ]);
    expect(commits[0]?.[0]).toMatchObject({
      shape: "FREEHAND",
      points: [
        [0.1, 0.1],
        [0.2, 0.1],
        [0.2, 0.2],
      ],
    });
  });

  it("drops a scribble of fewer than three points", () => {
    expect(play("freehand", [{ down: [0.1, 0.1] }, { move: [0.2, 0.2] }, { up: true }]).commits).toEqual([]);
  });
});

describe("brush", () => {
  it("paints a stroke of the brush's size at the zoom it was painted at", () => {
    const { commits } = play("brush", [
      { down: [0.1, 0.5] },
      { move: [0.3, 0.5] },
      { move: [0.5, 0.5] },
      { up: true },
    ]);
    const stroke = commits[0]?.[0];
    // 16 screen pixels at half size: 32 image pixels of a 1000-pixel-wide image
    expect(stroke).toMatchObject({ shape: "BRUSH", classId: "covid", strokeWidth: 0.032 });
    expect(stroke?.points).toHaveLength(3);
  });

  it("paints a dot for a click, and ends the stroke where the pointer leaves the image", () => {
    expect(play("brush", [{ down: [0.4, 0.4] }, { up: true }]).commits[0]?.[0]?.points).toEqual([
      [0.4, 0.4],
      [0.4, 0.4],
    ]);
    const left = play("brush", [{ down: [0.1, 0.5] }, { move: [0.3, 0.5] }, { leave: true }, { up: true }]);
    expect(left.commits).toHaveLength(1);
    expect(left.state).toEqual(IDLE);
  });

  it("spaces points by a quarter of its size on screen", () => {
    // 64 px brush: a point every 16 screen pixels = 32 image pixels = 0.032 of the width
    const ctx = context({ brushSize: 64 });
    const { commits } = play(
      "brush",
      [{ down: [0.1, 0.5] }, { move: [0.12, 0.5] }, { move: [0.14, 0.5] }, { up: true }],
      ctx,
    );
    expect(commits[0]?.[0]?.points).toEqual([
      [0.1, 0.5],
      [0.14, 0.5],
    ]);
  });
});

describe("eraser", () => {
  const stroke: Roi = {
    id: "s",
    shape: "BRUSH",
    classId: null,
    strokeWidth: 0.01,
    points: [
      [0.1, 0.5],
      [0.9, 0.5],
    ],
  };
  const square = box("b", [0.1, 0.1], [0.2, 0.2]);

  it("shows the erased regions while dragging and commits them once, on release", () => {
    const ctx = context({ rois: [stroke, square] });
    const during = play("eraser", [{ down: [0.5, 0.4] }, { move: [0.5, 0.6] }], ctx);
    expect(during.commits).toEqual([]);
    expect(shownRois(during.state, ctx.rois)).toHaveLength(3);
    const done = play("eraser", [{ up: true }], ctx, during.state);
    expect(done.commits).toHaveLength(1);
    expect(done.commits[0]!.filter((r) => r.shape === "BRUSH")).toHaveLength(2);
    expect(done.commits[0]).toContain(square);
  });

  it("deletes a box it touches, and emits nothing when it touched nothing", () => {
    const ctx = context({ rois: [stroke, square] });
    expect(play("eraser", [{ down: [0.15, 0.15] }, { up: true }], ctx).commits).toEqual([[stroke]]);
    expect(play("eraser", [{ down: [0.5, 0.9] }, { leave: true }], ctx)).toEqual({
      state: IDLE,
      commits: [],
      selections: [],
    });
  });
});

describe("select", () => {
  const a = box("a", [0.1, 0.1], [0.2, 0.2]);
  const b = box("b", [0.5, 0.5], [0.6, 0.6]);
  const ctx = (selectedId: string | null) => context({ rois: [a, b], selectedId });

  it("selects a region on a click, and clears the selection on a click on the image", () => {
    expect(
      play("select", [{ down: [0.15, 0.15], target: { kind: "roi", id: "a" } }, { up: true }], ctx(null)),
    ).toEqual({
      state: IDLE,
      commits: [],
      selections: ["a"],
    });
    expect(play("select", [{ down: [0.9, 0.9] }], ctx("a")).selections).toEqual([null]);
  });

  it("moves the selected region by the drag, kept on the image, as one undo step", () => {
    const { commits, state } = play(
      "select",
      [
        { down: [0.15, 0.15], target: { kind: "roi", id: "a" } },
        { move: [0.2, 0.15] },
        { move: [0.0, 0.35] },
        { up: true },
      ],
      ctx("a"),
    );
    expect(state).toEqual(IDLE);
    expect(commits).toHaveLength(1);
    const [moved, other] = commits[0]!;
    // 0.15 left is clamped at the image's edge (0.1 of room)
    expect(moved!.points.map(([x, y]) => [+x.toFixed(6), +y.toFixed(6)])).toEqual([
      [0, 0.3],
      [0.1, 0.4],
    ]);
    expect(other).toBe(b);
  });

  it("shows the moved region while dragging; a click on the selected region without a move changes nothing", () => {
    const during = play(
      "select",
      [{ down: [0.15, 0.15], target: { kind: "roi", id: "a" } }, { move: [0.25, 0.15] }],
      ctx("a"),
    );
    expect(shownRois(during.state, [a, b])[0]?.points[0]?.[0]).toBeCloseTo(0.2);
    expect(
      play("select", [{ down: [0.15, 0.15], target: { kind: "roi", id: "a" } }, { up: true }], ctx("a"))
        .commits,
    ).toEqual([]);
  });

  it("reshapes by a handle: a box's corner resizes it, a vertex moves alone", () => {
    const { commits } = play(
      "select",
      [
        { down: [0.2, 0.2], target: { kind: "handle", id: "a", index: 1 } },
        { move: [0.3, 0.4] },
        { leave: true },
      ],
      ctx("a"),
    );
    expect(commits[0]?.[0]?.points).toEqual([
      [0.1, 0.1],
      [0.3, 0.4],
    ]);
  });
});

describe("window and level (right-drag)", () => {
  it("changes the width horizontally and the level vertically from the window at the press", () => {
    const drag = startWindowDrag(100, 100, { center: 100, width: 100 });
    expect(windowDuringDrag(drag, 150, 80)).toEqual({ center: 90, width: 150 });
    expect(windowDuringDrag(drag, 100, 100)).toEqual({ center: 100, width: 100 });
  });
});
