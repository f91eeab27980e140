// The lasso: a freehand outline drawn while the button is down, closed on release (three points at least).
import { newRoiId } from "../roi";
import { closeOnScreen, IDLE, stay, tool, withRoi } from "./types";

/** a point every few screen pixels keeps outlines smooth and small */
export const SPACING_PX = 3;

export const freehandTool = tool({
  down: (_state, at, _target, ctx) => ({
    state: {
      kind: "drawing",
      roi: { id: newRoiId(), shape: "FREEHAND", classId: ctx.classId, points: [at] },
    },
  }),
  move: (state, at, ctx) => {
    if (state.kind !== "drawing") return stay(state);
    const last = state.roi.points.at(-1);
    if (last && closeOnScreen(last, at, SPACING_PX, ctx)) return stay(state);
    return { state: { ...state, roi: { ...state.roi, points: [...state.roi.points, at] } } };
  },
  up: (state, ctx) => {
    if (state.kind !== "drawing") return stay(state);
    return state.roi.points.length >= 3 ? { state: IDLE, commit: withRoi(ctx, state.roi) } : { state: IDLE };
  },
});
