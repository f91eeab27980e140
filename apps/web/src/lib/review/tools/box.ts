// Drag out a box from one corner to the opposite one; a click (a box too small to be meant) adds nothing.
// The rectangle and the ellipse are this machine with their own shape (the ellipse is inscribed in the box).
import { isMeaningfulBox, newRoiId } from "../roi";
import { IDLE, stay, tool, withRoi, type RoiTool } from "./types";

export function boxTool(shape: "RECTANGLE" | "ELLIPSE"): RoiTool {
  return tool({
    down: (_state, at, _target, ctx) => ({
      state: { kind: "drawing", roi: { id: newRoiId(), shape, classId: ctx.classId, points: [at, at] } },
    }),
    move: (state, at) =>
      state.kind === "drawing"
        ? { state: { ...state, roi: { ...state.roi, points: [state.roi.points[0] ?? at, at] } } }
        : stay(state),
    up: (state, ctx) => {
      if (state.kind !== "drawing") return stay(state);
      const [a, b] = state.roi.points;
      return a && b && isMeaningfulBox(a, b)
        ? { state: IDLE, commit: withRoi(ctx, state.roi) }
        : { state: IDLE };
    },
  });
}
