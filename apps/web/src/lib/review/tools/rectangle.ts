// The rectangle: a box dragged from corner to corner.
import { boxTool } from "./box";

export const rectangleTool = boxTool("RECTANGLE");
