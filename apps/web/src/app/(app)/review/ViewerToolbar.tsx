"use client";
// Buttons and sliders for everything the keys do in the viewer (the keys are shown in the titles).
import { Button } from "@cxr/ui";
import { type ComponentProps } from "react";
import { type CaseClass } from "~/lib/review/api-types";
import { MAX_BRUSH, MIN_BRUSH } from "~/lib/review/brush";
import { colormaps, type Colormap } from "~/lib/review/colormap";
import { type Tool } from "~/lib/review/keymap";
import { type ViewerAction, type ViewerSettings } from "~/lib/review/viewer-settings";
import { type WindowPreset } from "~/lib/review/windowing";
import { Picker } from "./Picker";

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
  /** the Grad-CAM variant shown */
  heatMethod: "GRADCAM" | "GUIDED_GRADCAM";
  onHeatMethod: (method: "GRADCAM" | "GUIDED_GRADCAM") => void;
  onHelp: () => void;
  /** how many lesion outlines the data set came with (0: no toggle) */
  sourceRoiCount: number;
  /** a campaign that asks for a label only: no drawing tools */
  labelOnly?: boolean;
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
  const send = (action: ViewerAction) => () => p.onSettings(action);
  return (
    <div className="review-toolbar" role="toolbar" aria-label="Viewer tools">
      <div className="review-toolbar__group" role="group" aria-label="Drawing tools">
        {(p.labelOnly ? tools.filter((t) => t.tool === "select") : tools).map((t) => (
          <Toggle
            key={t.tool}
            on={s.tool === t.tool}
            title={`${t.label} (${t.key})`}
            onClick={send({ type: "tool", tool: t.tool })}
          >
            {t.label}
          </Toggle>
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
        <Picker
          label="Window"
          title="Window preset (W)"
          value={s.presetId ?? ""}
          onChange={(id) => p.onSettings({ type: "preset", id, presets: p.presets })}
          options={p.presets.map((w) => ({ value: w.id, text: w.label }))}
        >
          {s.presetId === null ? <option value="">custom</option> : null}
        </Picker>
        <Toggle on={s.invert} onClick={send({ type: "invert" })} title="Invert (I)">
          Invert
        </Toggle>
        <Button size="sm" variant="secondary" onClick={send({ type: "fit" })} title="Fit to screen (F)">
          Fit
        </Button>
        <Button size="sm" variant="secondary" onClick={send({ type: "actualSize" })} title="Actual size (A)">
          1:1
        </Button>
      </div>
      {p.sourceRoiCount > 0 && (
        <div className="review-toolbar__group" role="group" aria-label="Data set outlines">
          <Toggle
            on={s.showSourceRois}
            onClick={send({ type: "toggleSourceRois" })}
            title="The lesion outlines the data set came with (dashed)"
            data-testid="toggle-source-rois"
          >
            Data-set outlines ({p.sourceRoiCount})
          </Toggle>
        </div>
      )}
      <div className="review-toolbar__group" role="group" aria-label="Grad-CAM">
        {/* no heat map to show (a blinded campaign, or no prediction): no controls for one */}
        {p.heatClasses.length > 0 && (
          <>
            <Toggle
              on={s.overlay.visible}
              onClick={send({ type: "toggleHeatmap" })}
              title="Heat map (H)"
              data-testid="toggle-heatmap"
            >
              Heat map
            </Toggle>
            <Picker
              label="Class"
              title="Heat map class (G)"
              value={p.heatClassId ?? ""}
              onChange={p.onHeatClass}
              options={p.heatClasses.map((c) => ({ value: c.id, text: c.name }))}
            />
            <Picker
              label="Variant"
              title="Grad-CAM variant"
              value={p.heatMethod}
              onChange={(m) => p.onHeatMethod(m === "GUIDED_GRADCAM" ? "GUIDED_GRADCAM" : "GRADCAM")}
              options={[
                { value: "GRADCAM", text: "Grad-CAM" },
                { value: "GUIDED_GRADCAM", text: "Guided" },
              ]}
            />
            <Picker
              label="Colours"
              title="Colormap (M)"
              value={s.overlay.colormap}
              onChange={(c) => overlay({ colormap: c as Colormap })}
              options={colormaps.map((c) => ({ value: c, text: c }))}
            />
            <OverlaySlider
              label="Opacity"
              max={1}
              value={s.overlay.opacity}
              onChange={(v) => overlay({ opacity: v })}
            />
            <OverlaySlider
              label="Threshold"
              max={0.95}
              value={s.overlay.threshold}
              onChange={(v) => overlay({ threshold: v })}
            />
            <Toggle on={s.sideBySide} onClick={send({ type: "toggleSideBySide" })} title="Side by side (B)">
              Side by side
            </Toggle>
          </>
        )}
        <Button size="sm" variant="ghost" onClick={p.onHelp} title="Keyboard shortcuts (?)">
          ?
        </Button>
      </div>
    </div>
  );
}

/** A small button that shows whether its setting is on: primary and pressed, or secondary. */
function Toggle({
  on,
  ...rest
}: { on: boolean } & Omit<ComponentProps<typeof Button>, "size" | "variant" | "aria-pressed">) {
  return <Button size="sm" variant={on ? "primary" : "secondary"} aria-pressed={on} {...rest} />;
}

/** A heat-map overlay setting from 0 to `max` in steps of 0.05, its name before it. */
function OverlaySlider(props: {
  label: string;
  max: number;
  value: number;
  onChange: (value: number) => void;
}) {
  return (
    <label>
      {props.label}{" "}
      <input
        type="range"
        min={0}
        max={props.max}
        step={0.05}
        value={props.value}
        onChange={(e) => props.onChange(Number(e.target.value))}
      />
    </label>
  );
}
