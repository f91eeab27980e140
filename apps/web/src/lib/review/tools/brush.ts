// The brush: a stroke of the brush's size (as a width of the image at the zoom it was painted at) while the
// button is down; it ends on release or where the pointer leaves the image. A click paints a dot.
import { finishStroke, strokeWidthFor } from "../brush";
import { newRoiId } from "../roi";
import { closeOnScreen, IDLE, stay, tool, withRoi, type ToolState, type ToolContext } from "./types";

function end(state: ToolState, ctx: ToolContext) {
  if (state.kind !== "drawing") return stay(state);
  return { state: IDLE, commit: withRoi(ctx, { ...state.roi, points: finishStroke(state.roi.points) }) };
}

export const brushTool = tool({
  down: (_state, at, _target, ctx) => ({
    state: {
      kind: "drawing",
      roi: {
        id: newRoiId(),
        shape: "BRUSH",
        classId: ctx.classId,
        points: [at],
        strokeWidth: strokeWidthFor(ctx.brushSize, ctx.scale, ctx.width),
      },
    },
  }),
  move: (state, at, ctx) => {
    if (state.kind !== "drawing") return stay(state);
    // a point every quarter of the brush's size (at least 2 px) is smooth enough under a round pen
    const last = state.roi.points.at(-1);
    if (last && closeOnScreen(last, at, Math.max(2, ctx.brushSize / 4), ctx)) return stay(state);
    return { state: { ...state, roi: { ...state.roi, points: [...state.roi.points, at] } } };
  },
  up: end,
  leave: end,
});
