// The polygon: a click per vertex; a click on the first vertex, or a double-click, closes it (three vertices at
// least; fewer are dropped).
import { newRoiId, type Roi } from "../roi";
import { closeOnScreen, IDLE, stay, tool, withRoi, type ToolContext, type ToolStep } from "./types";

/** how near (screen pixels) a click must be to the first vertex to close the outline */
export const CLOSE_PX = 10;

function finish(roi: Roi, ctx: ToolContext): ToolStep {
  return roi.points.length >= 3 ? { state: IDLE, commit: withRoi(ctx, roi) } : { state: IDLE };
}

export const polygonTool = tool({
  down: (state, at, _target, ctx) => {
    if (state.kind !== "drawing")
      return {
        state: {
          kind: "drawing",
          roi: { id: newRoiId(), shape: "POLYGON", classId: ctx.classId, points: [at] },
        },
      };
    const first = state.roi.points[0];
    if (first && state.roi.points.length >= 3 && closeOnScreen(first, at, CLOSE_PX, ctx))
      return finish(state.roi, ctx);
    return { state: { ...state, roi: { ...state.roi, points: [...state.roi.points, at] } } };
  },
  doubleClick: (state, ctx) => {
    if (state.kind !== "drawing") return stay(state);
    // two quick clicks anywhere count as a double-click: only one on the same spot (whose second press
    // added a duplicate vertex) closes the polygon
    const last = state.roi.points.at(-1);
    const before = state.roi.points.at(-2);
    if (!last || !before || !closeOnScreen(last, before, CLOSE_PX, ctx)) return stay(state);
    return finish({ ...state.roi, points: state.roi.points.slice(0, -1) }, ctx);
  },
});
