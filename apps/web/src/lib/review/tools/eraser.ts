// The eraser: rubs out brush strokes where it passes and deletes any outline or box it touches, along the
// path of one drag; released (or leaving the image), the result is one undo step, none when it touched nothing.
import { eraseRois, strokeWidthFor } from "../brush";
import { closeOnScreen, IDLE, stay, tool, type ToolContext, type ToolState } from "./types";

const eraserWidth = (ctx: ToolContext) => strokeWidthFor(ctx.brushSize, ctx.scale, ctx.width);

function end(state: ToolState, ctx: ToolContext) {
  if (state.kind !== "erasing") return stay(state);
  return state.rois === ctx.rois ? { state: IDLE } : { state: IDLE, commit: state.rois };
}

export const eraserTool = tool({
  down: (_state, at, _target, ctx) => ({
    state: {
      kind: "erasing",
      rois: eraseRois(ctx.rois, [at], eraserWidth(ctx), ctx.height / ctx.width),
      last: at,
    },
  }),
  move: (state, at, ctx) => {
    if (state.kind !== "erasing" || closeOnScreen(state.last, at, 2, ctx)) return stay(state);
    const rois = eraseRois(state.rois, [state.last, at], eraserWidth(ctx), ctx.height / ctx.width);
    return { state: { kind: "erasing", rois, last: at } };
  },
  up: end,
  leave: end,
});
