// Window and level by dragging with the right button, whatever the tool: horizontal changes the width,
// vertical the level, from the window in force when the button went down.
import { dragWindow, type Window } from "../windowing";

export interface WindowDrag {
  x: number;
  y: number;
  start: Window;
}

/** `x`, `y`: the pointer on screen */
export const startWindowDrag = (x: number, y: number, start: Window): WindowDrag => ({ x, y, start });

export const windowDuringDrag = (drag: WindowDrag, x: number, y: number): Window =>
  dragWindow(drag.start, x - drag.x, y - drag.y);
