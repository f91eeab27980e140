"use client";
// One region of interest as a konva shape, for the reader's regions (as drawn, selected, or still being
// drawn) and for the data set's own outlines (dashed, for reference only). Coordinates are normalised; the
// image's size in pixels places them.
import { Ellipse, Line, Rect } from "react-konva";
import { boxOf, type Roi } from "~/lib/review/roi";
import { type Size } from "~/lib/review/view";

export type RoiLook = "region" | "selected" | "live" | "outline";

const BRUSH_OPACITY = 0.55;

export function RoiShape({
  roi,
  image,
  look,
  color,
}: {
  roi: Roi;
  image: Size;
  look: RoiLook;
  color: string;
}) {
  const { width: W, height: H } = image;
  const selected = look === "selected";
  const points = () => roi.points.flatMap(([x, y]) => [x * W, y * H]);
  if (roi.shape === "BRUSH")
    // a width in image pixels, so it scales with the zoom like the anatomy under it
    return (
      <Line
        points={points()}
        stroke={color}
        strokeWidth={(roi.strokeWidth ?? 0.01) * W}
        lineCap="round"
        lineJoin="round"
        dash={look === "outline" ? [4, 4] : undefined}
        opacity={selected ? 0.8 : BRUSH_OPACITY}
        shadowColor={selected ? "#ffffff" : undefined}
        shadowBlur={selected ? 6 : 0}
        shadowForStrokeEnabled={selected}
      />
    );
  const common = {
    stroke: color,
    strokeWidth: look === "outline" ? 1.5 : selected ? 3 : 2,
    strokeScaleEnabled: false,
    dash: look === "outline" ? [4, 4] : look === "live" ? [6, 4] : undefined,
    // a transparent fill still counts for hits: a click inside a region selects it
    fill: look === "outline" ? undefined : selected ? `${color}33` : "rgba(0,0,0,0)",
  };
  if (roi.shape === "POLYGON" || roi.shape === "FREEHAND")
    return <Line points={points()} closed={look !== "live"} {...common} />;
  const [a, b] = roi.points;
  if (!a || !b) return null;
  const { x, y, w, h } = boxOf(a, b, W, H);
  return roi.shape === "ELLIPSE" ? (
    <Ellipse x={x + w / 2} y={y + h / 2} radiusX={w / 2} radiusY={h / 2} {...common} />
  ) : (
    <Rect x={x} y={y} width={w} height={h} {...common} />
  );
}
