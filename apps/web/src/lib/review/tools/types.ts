// What every ROI tool is: a small state machine. The viewer feeds it pointer events in normalised image
// coordinates with what lies under the pointer; it answers with its next state and the edits it emits (a new
// ROI list: one undo step; a selection). Tools know nothing of React or konva (compare label-studio-frontend's
// src/tools and cornerstone3D's tools).
import { type Point, type Roi } from "../roi";

export interface ToolContext {
  /** the reader's ROIs as committed */
  rois: Roi[];
  /** the class a new ROI gets: the decision's */
  classId: string | null;
  selectedId: string | null;
  /** the image's size in pixels */
  width: number;
  height: number;
  /** screen pixels per image pixel */
  scale: number;
  /** the brush's and the eraser's diameter on screen, in pixels */
  brushSize: number;
}

/** What the pointer went down on: the image, one of the reader's ROIs, or a handle of the selected one. */
export type Target =
  { kind: "image" } | { kind: "roi"; id: string } | { kind: "handle"; id: string; index: number };

export type ToolState =
  | { kind: "idle" }
  /** a new ROI being drawn */
  | { kind: "drawing"; roi: Roi }
  /** an eraser drag: the ROIs as they would be, and where the eraser last was */
  | { kind: "erasing"; rois: Roi[]; last: Point }
  /** the selected ROI being moved (`roi`: where it is now) from where the pointer went down */
  | { kind: "moving"; from: Point; roi: Roi }
  /** one point of the selected ROI being dragged: a vertex, or a box's corner */
  | { kind: "reshaping"; index: number; roi: Roi };

export interface ToolStep {
  state: ToolState;
  /** the ROI list after the gesture: one undo step */
  commit?: Roi[];
  /** a new selection (null: none) */
  select?: string | null;
}

export interface RoiTool {
  down(state: ToolState, at: Point, target: Target, ctx: ToolContext): ToolStep;
  move(state: ToolState, at: Point, ctx: ToolContext): ToolStep;
  up(state: ToolState, ctx: ToolContext): ToolStep;
  /** the pointer left the image */
  leave(state: ToolState, ctx: ToolContext): ToolStep;
  doubleClick(state: ToolState, ctx: ToolContext): ToolStep;
}

export const IDLE: ToolState = { kind: "idle" };

/** No change: the same state, nothing emitted. */
export const stay = (state: ToolState): ToolStep => ({ state });

/** A tool that ignores every event it does not define. */
export function tool(handlers: Partial<RoiTool>): RoiTool {
  return {
    down: (s) => stay(s),
    move: (s) => stay(s),
    up: (s) => stay(s),
    leave: (s) => stay(s),
    doubleClick: (s) => stay(s),
    ...handlers,
  };
}

/** Whether two image points are within `px` pixels of each other on screen. */
export function closeOnScreen(a: Point, b: Point, px: number, ctx: ToolContext): boolean {
  return Math.hypot((a[0] - b[0]) * ctx.width, (a[1] - b[1]) * ctx.height) * ctx.scale < px;
}

/** The ROIs that a committed new one joins. */
export const withRoi = (ctx: ToolContext, roi: Roi): Roi[] => [...ctx.rois, roi];

/** The ROI list as shown while a tool works: the eraser's preview, a moved or reshaped ROI in its place. */
export function shownRois(state: ToolState, rois: Roi[]): Roi[] {
  if (state.kind === "erasing") return state.rois;
  if (state.kind === "moving" || state.kind === "reshaping")
    return rois.map((r) => (r.id === state.roi.id ? state.roi : r));
  return rois;
}
