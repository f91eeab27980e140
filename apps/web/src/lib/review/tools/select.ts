// Select, move and reshape: a click on a region selects it, a click on the image clears the selection (and a
// drag there pans: the stage's own drag). The selected region moves when dragged, and its handles (a polygon's
// vertices, a box's corners) reshape it; each drag is one undo step, a click without a move none.
import { movePoint, moveRoi } from "../roi";
import { IDLE, stay, tool, type ToolContext, type ToolState, type ToolStep } from "./types";

const find = (ctx: ToolContext, id: string) => ctx.rois.find((r) => r.id === id);

function end(state: ToolState, ctx: ToolContext): ToolStep {
  if (state.kind !== "moving" && state.kind !== "reshaping") return stay(state);
  const before = find(ctx, state.roi.id);
  if (!before || before === state.roi) return { state: IDLE };
  return { state: IDLE, commit: ctx.rois.map((r) => (r.id === state.roi.id ? state.roi : r)) };
}

export const selectTool = tool({
  down: (_state, at, target, ctx) => {
    if (target.kind === "image") return { state: IDLE, select: null };
    const roi = find(ctx, target.id);
    if (!roi) return { state: IDLE };
    if (target.kind === "handle") return { state: { kind: "reshaping", index: target.index, roi } };
    if (target.id !== ctx.selectedId) return { state: IDLE, select: target.id };
    return { state: { kind: "moving", from: at, roi } };
  },
  move: (state, at, ctx) => {
    if (state.kind !== "moving" && state.kind !== "reshaping") return stay(state);
    const before = find(ctx, state.roi.id);
    if (!before) return { state: IDLE };
    const roi =
      state.kind === "moving"
        ? moveRoi(before, at[0] - state.from[0], at[1] - state.from[1])
        : movePoint(before, state.index, at);
    return { state: { ...state, roi } };
  },
  up: end,
  leave: end,
});
