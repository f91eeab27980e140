// Geometry of regions of interest in normalised image coordinates ([0, 1] on both axes), so they stay under
// the anatomy whatever the zoom, pan or window. The region itself (`Roi`, `RoiShape`) is @cxr/domain's.
import { type Roi } from "@cxr/domain";

export { type Roi, type RoiShape } from "@cxr/domain";

export type Point = [number, number];

export const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

export function normalisePoint(x: number, y: number, width: number, height: number): Point {
  return [clamp01(x / width), clamp01(y / height)];
}

/** Moves a whole ROI by a normalised offset, keeping every point on the image. */
export function moveRoi(roi: Roi, dx: number, dy: number): Roi {
  const xs = roi.points.map((p) => p[0]);
  const ys = roi.points.map((p) => p[1]);
  const fx = Math.min(Math.max(dx, -Math.min(...xs)), 1 - Math.max(...xs));
  const fy = Math.min(Math.max(dy, -Math.min(...ys)), 1 - Math.max(...ys));
  return { ...roi, points: roi.points.map(([x, y]) => [x + fx, y + fy]) };
}

/** The box spanned by two opposite corners (normalised), in pixels of a `width` x `height` image. */
export function boxOf(
  a: Point,
  b: Point,
  width: number,
  height: number,
): { x: number; y: number; w: number; h: number } {
  return {
    x: Math.min(a[0], b[0]) * width,
    y: Math.min(a[1], b[1]) * height,
    w: Math.abs(a[0] - b[0]) * width,
    h: Math.abs(a[1] - b[1]) * height,
  };
}

/** Whether a dragged box is big enough to be meant (a click is not a rectangle). */
export function isMeaningfulBox(a: Point, b: Point, min = 0.005): boolean {
  return Math.abs(a[0] - b[0]) > min && Math.abs(a[1] - b[1]) > min;
}

/** Moves one point (a vertex, or a corner of a box: that resizes it). */
export function movePoint(roi: Roi, index: number, to: Point): Roi {
  return { ...roi, points: roi.points.map((p, i) => (i === index ? to : p)) };
}

/** A stored region (the decision in force's, or the data set's outline) as the viewer's ROI. */
export function roiFromStored(a: {
  id: string;
  shape: string;
  classId: string | null;
  points: number[][];
  strokeWidth: number | null;
}): Roi {
  return {
    id: a.id,
    shape:
      a.shape === "ELLIPSE" || a.shape === "POLYGON" || a.shape === "FREEHAND" || a.shape === "BRUSH"
        ? a.shape
        : "RECTANGLE",
    classId: a.classId,
    points: a.points.map(([x, y]): Point => [x ?? 0, y ?? 0]),
    strokeWidth: a.strokeWidth,
  };
}

let counter = 0;
export const newRoiId = () => `roi-${Date.now().toString(36)}-${(counter++).toString(36)}`;
