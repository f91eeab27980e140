"use client";
// Buttons and sliders for everything the keys do in the viewer (the keys are shown in the titles).
import { Button } from "@cxr/ui";
import { type CaseClass } from "~/lib/review/api-types";
import { MAX_BRUSH, MIN_BRUSH } from "~/lib/review/brush";
import { colormaps, type Colormap } from "~/lib/review/colormap";
import { type Tool } from "~/lib/review/keymap";
import { type ViewerAction, type ViewerSettings } from "~/lib/review/viewer-settings";
import { type WindowPreset } from "~/lib/review/windowing";

interface Props {
  settings: ViewerSettings;
  onSettings: (action: ViewerAction) => void;
  canUndo: boolean;
  canRedo: boolean;
  onUndo: () => void;
  onRedo: () => void;
  presets: WindowPreset[];
  heatClasses: CaseClass[];
  heatClassId: string | null;
  onHeatClass: (id: string) => void;
  onHelp: () => void;
  /** how many lesion outlines the data set came with (0: no toggle) */
  sourceRoiCount: number;
}

const tools: { tool: Tool; label: string; key: string }[] = [
  { tool: "select", label: "Select / pan", key: "V" },
  { tool: "rectangle", label: "Rectangle", key: "R" },
  { tool: "ellipse", label: "Ellipse", key: "E" },
  { tool: "polygon", label: "Polygon", key: "P" },
  { tool: "freehand", label: "Lasso", key: "L" },
  { tool: "brush", label: "Brush", key: "D" },
  { tool: "eraser", label: "Eraser", key: "K" },
];

export function ViewerToolbar(p: Props) {
  const s = p.settings;
  const overlay = (patch: Partial<ViewerSettings["overlay"]>) => p.onSettings({ type: "overlay", patch });
  return (
    <div className="review-toolbar" role="toolbar" aria-label="Viewer tools">
      <div className="review-toolbar__group" role="group" aria-label="Drawing tools">
        {tools.map((t) => (
          <Button
            key={t.tool}
            size="sm"
            variant={s.tool === t.tool ? "primary" : "secondary"}
            aria-pressed={s.tool === t.tool}
            title={`${t.label} (${t.key})`}
            onClick={() => p.onSettings({ type: "tool", tool: t.tool })}
          >
            {t.label}
          </Button>
        ))}
        <label title="Brush and eraser size ([ smaller, ] larger)">
          Size{" "}
          <input
            type="range"
            aria-label="Brush and eraser size"
            min={MIN_BRUSH}
            max={MAX_BRUSH}
            step={1}
            value={s.brushSize}
            onChange={(e) => p.onSettings({ type: "setBrushSize", px: Number(e.target.value) })}
          />{" "}
          <span data-testid="brush-size">{s.brushSize} px</span>
        </label>
        <Button size="sm" variant="ghost" disabled={!p.canUndo} onClick={p.onUndo} title="Undo (Ctrl+Z)">
          Undo
        </Button>
        <Button
          size="sm"
          variant="ghost"
          disabled={!p.canRedo}
          onClick={p.onRedo}
          title="Redo (Ctrl+Shift+Z)"
        >
          Redo
        </Button>
      </div>
      <div className="review-toolbar__group" role="group" aria-label="Image">
        <label>
          Window{" "}
          <select
            value={s.presetId ?? ""}
            onChange={(e) => p.onSettings({ type: "preset", id: e.target.value, presets: p.presets })}
            title="Window preset (W)"
          >
            {s.presetId === null ? <option value="">custom</option> : null}
            {p.presets.map((w) => (
              <option key={w.id} value={w.id}>
                {w.label}
              </option>
            ))}
          </select>
        </label>
        <Button
          size="sm"
          variant={s.invert ? "primary" : "secondary"}
          aria-pressed={s.invert}
          onClick={() => p.onSettings({ type: "invert" })}
          title="Invert (I)"
        >
          Invert
        </Button>
        <Button
          size="sm"
          variant="secondary"
          onClick={() => p.onSettings({ type: "fit" })}
          title="Fit to screen (F)"
        >
          Fit
        </Button>
        <Button
          size="sm"
          variant="secondary"
          onClick={() => p.onSettings({ type: "actualSize" })}
          title="Actual size (A)"
        >
          1:1
        </Button>
      </div>
      {p.sourceRoiCount > 0 && (
        <div className="review-toolbar__group" role="group" aria-label="Data set outlines">
          <Button
            size="sm"
            variant={s.showSourceRois ? "primary" : "secondary"}
            aria-pressed={s.showSourceRois}
            onClick={() => p.onSettings({ type: "toggleSourceRois" })}
            title="The lesion outlines the data set came with (dashed)"
            data-testid="toggle-source-rois"
          >
            Data-set outlines ({p.sourceRoiCount})
          </Button>
        </div>
      )}
      <div className="review-toolbar__group" role="group" aria-label="Grad-CAM">
        {/* no heat map to show (a blinded campaign, or no prediction): no controls for one */}
        {p.heatClasses.length > 0 && (
          <>
            <Button
              size="sm"
              variant={s.overlay.visible ? "primary" : "secondary"}
              aria-pressed={s.overlay.visible}
              onClick={() => p.onSettings({ type: "toggleHeatmap" })}
              title="Heat map (H)"
              data-testid="toggle-heatmap"
            >
              Heat map
            </Button>
            <label>
              Class{" "}
              <select
                value={p.heatClassId ?? ""}
                onChange={(e) => p.onHeatClass(e.target.value)}
                title="Heat map class (G)"
              >
                {p.heatClasses.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Colours{" "}
              <select
                value={s.overlay.colormap}
                onChange={(e) => overlay({ colormap: e.target.value as Colormap })}
                title="Colormap (M)"
              >
                {colormaps.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Opacity{" "}
              <input
                type="range"
                min={0}
                max={1}
                step={0.05}
                value={s.overlay.opacity}
                onChange={(e) => overlay({ opacity: Number(e.target.value) })}
              />
            </label>
            <label>
              Threshold{" "}
              <input
                type="range"
                min={0}
                max={0.95}
                step={0.05}
                value={s.overlay.threshold}
                onChange={(e) => overlay({ threshold: Number(e.target.value) })}
              />
            </label>
            <Button
              size="sm"
              variant={s.sideBySide ? "primary" : "secondary"}
              aria-pressed={s.sideBySide}
              onClick={() => p.onSettings({ type: "toggleSideBySide" })}
              title="Side by side (B)"
            >
              Side by side
            </Button>
          </>
        )}
        <Button size="sm" variant="ghost" onClick={p.onHelp} title="Keyboard shortcuts (?)">
          ?
        </Button>
      </div>
    </div>
  );
}
