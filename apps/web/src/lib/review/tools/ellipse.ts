// The ellipse: inscribed in a box dragged from corner to corner.
import { boxTool } from "./box";

export const ellipseTool = boxTool("ELLIPSE");
