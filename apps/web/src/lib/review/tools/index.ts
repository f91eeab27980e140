// The ROI tools by the name the toolbar and the keys use.
import { type Tool } from "../keymap";
import { brushTool } from "./brush";
import { ellipseTool } from "./ellipse";
import { eraserTool } from "./eraser";
import { freehandTool } from "./freehand";
import { polygonTool } from "./polygon";
import { rectangleTool } from "./rectangle";
import { selectTool } from "./select";
import { type RoiTool } from "./types";

export const roiTools: Record<Tool, RoiTool> = {
  select: selectTool,
  rectangle: rectangleTool,
  ellipse: ellipseTool,
  polygon: polygonTool,
  freehand: freehandTool,
  brush: brushTool,
  eraser: eraserTool,
};

export { IDLE, shownRois, type Target, type ToolContext, type ToolState, type ToolStep } from "./types";
