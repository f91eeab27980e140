// The workspace's keyboard map: one table drives both the key handler and the `?` sheet.
export type Action =
  | { type: "label"; index: number }
  | { type: "submit" }
  | { type: "next" }
  | { type: "toggleNotDiagnostic" }
  | { type: "toggleSecondOpinion" }
  | { type: "focusComment" }
  | { type: "toggleHeatmap" }
  | { type: "cycleHeatmapClass" }
  | { type: "cycleColormap" }
  | { type: "toggleSideBySide" }
  | { type: "cycleWindow" }
  | { type: "invert" }
  | { type: "fit" }
  | { type: "actualSize" }
  | { type: "zoom"; factor: number }
  | { type: "pan"; dx: number; dy: number }
  | { type: "tool"; tool: Tool }
  | { type: "brushSize"; direction: 1 | -1 }
  | { type: "cancel" }
  | { type: "deleteRoi" }
  | { type: "undo" }
  | { type: "redo" }
  | { type: "help" };

export type Tool = "select" | "rectangle" | "ellipse" | "polygon" | "freehand" | "brush" | "eraser";

export interface KeyInput {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

const PAN = 60;

/** The ROI tools' keys. */
const toolKeys = new Map<string, Tool>([
  ["v", "select"],
  ["r", "rectangle"],
  ["e", "ellipse"],
  ["p", "polygon"],
  ["d", "brush"],
  ["l", "freehand"],
  ["k", "eraser"],
]);

/** The letters the workspace's own commands take: a class's hotkey may not be one of them. */
export const workspaceLetters: ReadonlySet<string> = new Set([
  ...toolKeys.keys(),
  ...["n", "x", "o", "c", "h", "g", "m", "b", "w", "i", "f", "a"],
]);

/**
 * The action of a key press. `classHotkeys` are the label set's hotkeys in the order of the number keys (null
 * where a class has none): a class's own hotkey wins, then 1-9 pick the classes in that order.
 */
export function actionFor(e: KeyInput, classHotkeys: readonly (string | null)[] = []): Action | null {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (mod && key === "z") return e.shiftKey ? { type: "redo" } : { type: "undo" };
  if (mod && key === "y") return { type: "redo" };
  if (mod || e.altKey) return null;
  const hot = key.length === 1 ? classHotkeys.indexOf(key) : -1;
  if (hot >= 0) return { type: "label", index: hot };
  if (/^[1-9]$/.test(key)) return { type: "label", index: Number(key) - 1 };
  const tool = toolKeys.get(key);
  if (tool) return { type: "tool", tool };
  switch (key) {
    case "Enter":
      return { type: "submit" };
    case "n":
      return { type: "next" };
    case "x":
      return { type: "toggleNotDiagnostic" };
    case "o":
      return { type: "toggleSecondOpinion" };
    case "c":
      return { type: "focusComment" };
    case "h":
      return { type: "toggleHeatmap" };
    case "g":
      return { type: "cycleHeatmapClass" };
    case "m":
      return { type: "cycleColormap" };
    case "b":
      return { type: "toggleSideBySide" };
    case "w":
      return { type: "cycleWindow" };
    case "i":
      return { type: "invert" };
    case "f":
      return { type: "fit" };
    case "a":
      return { type: "actualSize" };
    case "+":
    case "=":
      return { type: "zoom", factor: 1.25 };
    case "-":
      return { type: "zoom", factor: 0.8 };
    case "ArrowLeft":
      return { type: "pan", dx: PAN, dy: 0 };
    case "ArrowRight":
      return { type: "pan", dx: -PAN, dy: 0 };
    case "ArrowUp":
      return { type: "pan", dx: 0, dy: PAN };
    case "ArrowDown":
      return { type: "pan", dx: 0, dy: -PAN };
    case "[":
      return { type: "brushSize", direction: -1 };
    case "]":
      return { type: "brushSize", direction: 1 };
    case "Escape":
      return { type: "cancel" };
    case "Delete":
    case "Backspace":
      return { type: "deleteRoi" };
    case "?":
      return { type: "help" };
    default:
      return null;
  }
}

/** The `?` sheet, grouped as a reader thinks of them. */
export const shortcutSheet: { group: string; keys: [string, string][] }[] = [
  {
    group: "Decision",
    keys: [
      ["1 … 9", "Choose the class (in the order of the prediction panel)"],
      ["X", "Not diagnostic"],
      ["O", "Needs a second opinion"],
      ["C", "Write a comment (Esc leaves the field)"],
      ["Enter", "Submit and open the next case"],
      ["N", "Next case without deciding"],
    ],
  },
  {
    group: "Image",
    keys: [
      ["+ / − / wheel", "Zoom"],
      ["Arrows / drag", "Pan (drag with the select tool)"],
      ["F / A", "Fit to screen / actual size (1:1)"],
      ["W / right-drag", "Window preset / adjust window and level"],
      ["I", "Invert"],
    ],
  },
  {
    group: "Grad-CAM",
    keys: [
      ["H", "Show or hide the heat map"],
      ["G", "Heat map of the next class"],
      ["M", "Next colormap"],
      ["B", "Side by side: image | heat map | overlay"],
    ],
  },
  {
    group: "Regions of interest",
    keys: [
      ["V", "Select, move, resize or edit vertices (drag the handles), pan"],
      ["R / E / P", "Rectangle / ellipse / polygon (double-click or click the first point to close)"],
      ["D", "Brush: paint a stroke (its size is shown as a circle at the cursor)"],
      ["[ / ]", "Smaller / larger brush and eraser"],
      ["K", "Eraser: rubs out brush strokes where it passes, deletes an outline or box it touches"],
      ["L", "Lasso: a freehand outline"],
      ["Delete", "Delete the selected region"],
      ["Ctrl+Z / Ctrl+Shift+Z", "Undo / redo"],
      ["Esc", "Cancel the shape being drawn, clear the selection"],
      ["?", "This sheet"],
    ],
  },
];
