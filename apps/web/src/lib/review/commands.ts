// Where each keyboard action goes: the viewer's settings, the open case, or the workspace itself (submit,
// next case, comment field, the shortcut sheet). Most keep the keymap's shape; a few need the case's classes,
// its heat maps or the image's window presets.
import { type CaseAction } from "./case-state";
import { type Action } from "./keymap";
import { type ViewerAction } from "./viewer-settings";
import { type WindowPreset } from "./windowing";

export type WorkspaceAction = "submit" | "next" | "focusComment" | "help";

export type Command =
  | { to: "viewer"; action: ViewerAction }
  | { to: "case"; action: CaseAction }
  | { to: "workspace"; action: WorkspaceAction };

export interface CommandContext {
  /** the label set's classes in the order of the number keys */
  classIds: readonly string[];
  /** the classes with a heat map */
  mapClassIds: readonly string[];
  presets: readonly WindowPreset[];
}

const viewer = (action: ViewerAction): Command => ({ to: "viewer", action });
const onCase = (action: CaseAction): Command => ({ to: "case", action });

export function commandsFor(action: Action, ctx: CommandContext): Command[] {
  switch (action.type) {
    case "label": {
      const classId = ctx.classIds[action.index];
      return classId ? [onCase({ type: "patch", patch: { classId } })] : [];
    }
    case "submit":
    case "next":
    case "focusComment":
    case "help":
      return [{ to: "workspace", action: action.type }];
    case "toggleNotDiagnostic":
    case "toggleSecondOpinion":
    case "deleteRoi":
    case "undo":
    case "redo":
      return [onCase({ type: action.type })];
    case "cycleHeatmapClass":
      return [
        onCase({ type: "cycleHeatClass", classIds: ctx.mapClassIds }),
        viewer({ type: "overlay", patch: { visible: true } }),
      ];
    case "cycleWindow":
      return [viewer({ type: "cycleWindow", presets: ctx.presets })];
    case "cancel":
      // drop the region half drawn and the selection
      return [viewer({ type: "cancel" }), onCase({ type: "cancel" })];
    case "toggleHeatmap":
    case "cycleColormap":
    case "toggleSideBySide":
    case "invert":
    case "fit":
    case "actualSize":
    case "zoom":
    case "pan":
    case "tool":
    case "brushSize":
      return [viewer(action)];
  }
}
