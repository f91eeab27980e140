// The viewer's settings as one reducer: the tool and brush size, window/level and invert, the Grad-CAM
// overlay, the layout, the data set's outlines, and zoom/pan. They are the reader's preferences and stay
// across cases (the view fits each new image). The actions that keys send have the keymap's shapes.
import { clampBrushSize, DEFAULT_BRUSH, stepBrushSize } from "./brush";
import { colormaps, type Colormap } from "./colormap";
import { type Tool } from "./keymap";
import {
  centreOf,
  FIT,
  resolveView,
  sameFrame,
  zoomView,
  type Frame,
  type View,
  type ViewState,
} from "./view";
import { defaultWindow, type Window, type WindowPreset } from "./windowing";

export interface OverlaySettings {
  visible: boolean;
  opacity: number;
  colormap: Colormap;
  threshold: number;
}

export interface ViewerSettings {
  tool: Tool;
  /** the brush's and the eraser's diameter on screen, in pixels */
  brushSize: number;
  window: Window;
  /** the preset in force; null once the reader dragged the window */
  presetId: string | null;
  invert: boolean;
  overlay: OverlaySettings;
  sideBySide: boolean;
  /** the data set's own lesion outlines */
  showSourceRois: boolean;
  view: ViewState;
  /** the stage and content sizes the viewer last reported: keyboard zoom and pan need them */
  frame: Frame | null;
  /** counts tool changes and cancels: a new session drops whatever region was half drawn */
  toolSession: number;
}

export type ViewerAction =
  | { type: "tool"; tool: Tool }
  | { type: "brushSize"; direction: 1 | -1 }
  | { type: "setBrushSize"; px: number }
  | { type: "window"; window: Window }
  | { type: "preset"; id: string; presets: readonly WindowPreset[] }
  | { type: "cycleWindow"; presets: readonly WindowPreset[] }
  | { type: "invert" }
  | { type: "overlay"; patch: Partial<OverlaySettings> }
  | { type: "toggleHeatmap" }
  | { type: "cycleColormap" }
  | { type: "toggleSideBySide" }
  | { type: "toggleSourceRois" }
  | { type: "frame"; frame: Frame }
  | { type: "fit" }
  | { type: "actualSize" }
  | { type: "zoom"; factor: number; at?: { x: number; y: number } }
  | { type: "pan"; dx: number; dy: number }
  | { type: "panTo"; x: number; y: number }
  | { type: "cancel" };

export const initialViewerSettings: ViewerSettings = {
  tool: "select",
  brushSize: DEFAULT_BRUSH,
  window: defaultWindow,
  presetId: "default",
  invert: false,
  overlay: { visible: true, opacity: 0.45, colormap: "jet", threshold: 0.2 },
  sideBySide: false,
  showSourceRois: true,
  view: FIT,
  frame: null,
  toolSession: 0,
};

/** The view as numbers, then changed by `change`; nothing before the viewer reported its frame. */
function changeView(s: ViewerSettings, change: (view: View, frame: Frame) => View): ViewerSettings {
  if (!s.frame) return s;
  return { ...s, view: { fit: false, ...change(resolveView(s.view, s.frame), s.frame) } };
}

function choosePreset(s: ViewerSettings, preset: WindowPreset | undefined): ViewerSettings {
  if (!preset) return s;
  return { ...s, presetId: preset.id, window: { center: preset.center, width: preset.width } };
}

export function viewerSettingsReducer(s: ViewerSettings, a: ViewerAction): ViewerSettings {
  switch (a.type) {
    case "tool":
      return a.tool === s.tool ? s : { ...s, tool: a.tool, toolSession: s.toolSession + 1 };
    case "brushSize":
      return { ...s, brushSize: stepBrushSize(s.brushSize, a.direction) };
    case "setBrushSize":
      return { ...s, brushSize: clampBrushSize(a.px) };
    case "window":
      return { ...s, window: a.window, presetId: null };
    case "preset":
      return choosePreset(
        s,
        a.presets.find((p) => p.id === a.id),
      );
    case "cycleWindow": {
      const i = a.presets.findIndex((p) => p.id === s.presetId);
      return choosePreset(s, a.presets[(i + 1) % a.presets.length]);
    }
    case "invert":
      return { ...s, invert: !s.invert };
    case "overlay":
      return { ...s, overlay: { ...s.overlay, ...a.patch } };
    case "toggleHeatmap":
      return { ...s, overlay: { ...s.overlay, visible: !s.overlay.visible } };
    case "cycleColormap": {
      const next = colormaps[(colormaps.indexOf(s.overlay.colormap) + 1) % colormaps.length]!;
      return { ...s, overlay: { ...s.overlay, colormap: next } };
    }
    case "toggleSideBySide":
      // a new layout is fitted again, as a resized viewer is
      return { ...s, sideBySide: !s.sideBySide, view: FIT };
    case "toggleSourceRois":
      return { ...s, showSourceRois: !s.showSourceRois };
    case "frame":
      return sameFrame(s.frame, a.frame) ? s : { ...s, frame: a.frame, view: FIT };
    case "fit":
      return s.view.fit ? s : { ...s, view: FIT };
    case "actualSize":
      return changeView(s, (v, f) => zoomView(v, 1 / v.scale, centreOf(f.viewport)));
    case "zoom":
      return changeView(s, (v, f) => zoomView(v, a.factor, a.at ?? centreOf(f.viewport)));
    case "pan":
      return changeView(s, (v) => ({ ...v, x: v.x + a.dx, y: v.y + a.dy }));
    case "panTo":
      return changeView(s, (v) => ({ ...v, x: a.x, y: a.y }));
    case "cancel":
      return { ...s, toolSession: s.toolSession + 1 };
  }
}
