"use client";
// Buttons and sliders for everything the keys do in the viewer (the keys are shown in the titles).
import { Button } from "@cxr/ui";
import { MAX_BRUSH, MIN_BRUSH } from "~/lib/review/brush";
import { colormaps, type Colormap } from "~/lib/review/colormap";
import { type Tool } from "~/lib/review/keymap";
import { type WindowPreset } from "~/lib/review/windowing";
import { type OverlaySettings } from "./Viewer";
import { type CaseClass } from "./types";

interface Props {
  tool: Tool;
  onTool: (t: Tool) => void;
  brushSize: number;
  onBrushSize: (px: number) => void;
  canUndo: boolean;
  canRedo: boolean;
  onUndo: () => void;
  onRedo: () => void;
  presets: WindowPreset[];
  presetId: string | null;
  onPreset: (id: string) => void;
  invert: boolean;
  onInvert: () => void;
  overlay: OverlaySettings;
  onOverlay: (patch: Partial<OverlaySettings>) => void;
  heatClasses: CaseClass[];
  heatClassId: string | null;
  onHeatClass: (id: string) => void;
  sideBySide: boolean;
  onSideBySide: () => void;
  onFit: () => void;
  onActualSize: () => void;
  onHelp: () => void;
  /** how many lesion outlines the data set came with (0: no toggle) and whether they are shown */
  sourceRois: { count: number; visible: boolean };
  onSourceRois: () => void;
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
  return (
    <div className="review-toolbar" role="toolbar" aria-label="Viewer tools">
      <div className="review-toolbar__group" role="group" aria-label="Drawing tools">
        {tools.map((t) => (
          <Button
            key={t.tool}
            size="sm"
            variant={p.tool === t.tool ? "primary" : "secondary"}
            aria-pressed={p.tool === t.tool}
            title={`${t.label} (${t.key})`}
            onClick={() => p.onTool(t.tool)}
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
            value={p.brushSize}
            onChange={(e) => p.onBrushSize(Number(e.target.value))}
          />{" "}
          <span data-testid="brush-size">{p.brushSize} px</span>
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
            value={p.presetId ?? ""}
            onChange={(e) => p.onPreset(e.target.value)}
            title="Window preset (W)"
          >
            {p.presetId === null ? <option value="">custom</option> : null}
            {p.presets.map((w) => (
              <option key={w.id} value={w.id}>
                {w.label}
              </option>
            ))}
          </select>
        </label>
        <Button
          size="sm"
          variant={p.invert ? "primary" : "secondary"}
          aria-pressed={p.invert}
          onClick={p.onInvert}
          title="Invert (I)"
        >
          Invert
        </Button>
        <Button size="sm" variant="secondary" onClick={p.onFit} title="Fit to screen (F)">
          Fit
        </Button>
        <Button size="sm" variant="secondary" onClick={p.onActualSize} title="Actual size (A)">
          1:1
        </Button>
      </div>
      {p.sourceRois.count > 0 && (
        <div className="review-toolbar__group" role="group" aria-label="Data set outlines">
          <Button
            size="sm"
            variant={p.sourceRois.visible ? "primary" : "secondary"}
            aria-pressed={p.sourceRois.visible}
            onClick={p.onSourceRois}
            title="The lesion outlines the data set came with (dashed)"
            data-testid="toggle-source-rois"
          >
            Data-set outlines ({p.sourceRois.count})
          </Button>
        </div>
      )}
      <div className="review-toolbar__group" role="group" aria-label="Grad-CAM">
        {/* no heat map to show (a blinded campaign, or no prediction): no controls for one */}
        {p.heatClasses.length > 0 && (
          <>
            <Button
              size="sm"
              variant={p.overlay.visible ? "primary" : "secondary"}
              aria-pressed={p.overlay.visible}
              onClick={() => p.onOverlay({ visible: !p.overlay.visible })}
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
                value={p.overlay.colormap}
                onChange={(e) => p.onOverlay({ colormap: e.target.value as Colormap })}
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
                value={p.overlay.opacity}
                onChange={(e) => p.onOverlay({ opacity: Number(e.target.value) })}
              />
            </label>
            <label>
              Threshold{" "}
              <input
                type="range"
                min={0}
                max={0.95}
                step={0.05}
                value={p.overlay.threshold}
                onChange={(e) => p.onOverlay({ threshold: Number(e.target.value) })}
              />
            </label>
            <Button
              size="sm"
              variant={p.sideBySide ? "primary" : "secondary"}
              aria-pressed={p.sideBySide}
              onClick={p.onSideBySide}
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
