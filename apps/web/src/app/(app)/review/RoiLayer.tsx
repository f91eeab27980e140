"use client";
// The regions over the image: the data set's outlines (never hit), the reader's regions (hit by the select
// tool only), the one being drawn, and the selected region's handles (a polygon's vertices, a box's corners).
import type Konva from "konva";
import { Circle, Group } from "react-konva";
import { type Tool } from "~/lib/review/keymap";
import { type Roi } from "~/lib/review/roi";
import { type Target } from "~/lib/review/tools";
import { type Size } from "~/lib/review/view";
import { RoiShape } from "./RoiShape";

/** a region without a class (or of an unknown one) */
const ROI_COLOR = "#ffd866";
/** the data set's own outlines: a colour no class uses */
const SOURCE_ROI_COLOR = "#66d9ef";

interface Props {
  image: Size;
  /** screen pixels per image pixel: handles keep their size on screen */
  scale: number;
  tool: Tool;
  /** the reader's regions as shown (a moved or erased one as it is now) */
  rois: Roi[];
  sourceRois: Roi[];
  drawing: Roi | null;
  selectedRoiId: string | null;
  classColors: Record<string, string>;
  /** the left button went down on a region or a handle (the stage does not see it: no pan) */
  onDown: (target: Target) => void;
}

export function RoiLayer(p: Props) {
  const colorOf = (roi: Roi) => (roi.classId && p.classColors[roi.classId]) || ROI_COLOR;
  const selecting = p.tool === "select";
  const down = (target: Target) => (e: Konva.KonvaEventObject<MouseEvent>) => {
    if (e.evt.button !== 0) return;
    e.cancelBubble = true;
    p.onDown(target);
  };
  const selected = p.rois.find((r) => r.id === p.selectedRoiId);
  const handles = selecting && selected && selected.shape !== "FREEHAND" && selected.shape !== "BRUSH";
  return (
    <>
      <Group listening={false}>
        {p.sourceRois.map((r) => (
          <RoiShape key={r.id} roi={r} image={p.image} look="outline" color={SOURCE_ROI_COLOR} />
        ))}
      </Group>
      {p.rois.map((r) => (
        <Group key={r.id} listening={selecting} onMouseDown={down({ kind: "roi", id: r.id })}>
          <RoiShape
            roi={r}
            image={p.image}
            look={r.id === p.selectedRoiId ? "selected" : "region"}
            color={colorOf(r)}
          />
        </Group>
      ))}
      {p.drawing ? (
        <Group listening={false}>
          <RoiShape roi={p.drawing} image={p.image} look="live" color={colorOf(p.drawing)} />
        </Group>
      ) : null}
      {handles
        ? selected.points.map(([x, y], i) => (
            <Circle
              key={`${selected.id}-${i}`}
              x={x * p.image.width}
              y={y * p.image.height}
              radius={5 / p.scale}
              fill="#0b0f14"
              stroke={ROI_COLOR}
              strokeWidth={2}
              strokeScaleEnabled={false}
              onMouseDown={down({ kind: "handle", id: selected.id, index: i })}
            />
          ))
        : null}
    </>
  );
}
