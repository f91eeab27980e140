// The brush and the eraser: stroke sizes, and erasing along a path. Brush strokes are centre lines with a
// width (a fraction of the image's width), so the eraser cuts them where it passes; outlines and boxes are
// vector shapes, so the eraser deletes any it touches. Pure functions over normalised image coordinates.
import { maxRoiPoints } from "@cxr/domain";
import { clamp01, newRoiId, type Point as P, type Roi } from "./roi";

/** Brush and eraser diameters on screen (px) that `[` and `]` step through. */
export const BRUSH_SIZES = [2, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128] as const;
export const MIN_BRUSH = BRUSH_SIZES[0];
export const MAX_BRUSH = BRUSH_SIZES[BRUSH_SIZES.length - 1]!;
export const DEFAULT_BRUSH = 16;

/** The next size up (`]`, direction 1) or down (`[`, direction -1) from any size. */
export function stepBrushSize(size: number, direction: 1 | -1): number {
  if (direction > 0) return BRUSH_SIZES.find((s) => s > size) ?? MAX_BRUSH;
  return [...BRUSH_SIZES].reverse().find((s) => s < size) ?? MIN_BRUSH;
}

export const clampBrushSize = (size: number) =>
  Math.round(Math.min(MAX_BRUSH, Math.max(MIN_BRUSH, Number.isFinite(size) ? size : DEFAULT_BRUSH)));

/**
 * A screen diameter as a stroke width normalised to the image's width, at the viewer's zoom (`scale`: screen
 * pixels per image pixel). Zooming in paints finer strokes, as in any paint program.
 */
export function strokeWidthFor(diameterPx: number, scale: number, imageWidth: number): number {
  const w = diameterPx / Math.max(1e-6, scale) / Math.max(1, imageWidth);
  return Math.min(1, Math.max(1e-5, w));
}

/** At most `max` points, evenly thinned, first and last kept. */
export function thinPoints(points: P[], max = maxRoiPoints): P[] {
  if (points.length <= max) return points;
  const out: P[] = [];
  const step = (points.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(points[Math.round(i * step)]!);
  return out;
}

/** A finished brush stroke's points: a click is a dot (the same point twice), a long drag is thinned. */
export function finishStroke(points: P[]): P[] {
  const first = points[0];
  if (!first) return [];
  return points.length === 1 ? [first, first] : thinPoints(points);
}

// ---------------------------------------------------------------- geometry in "width units"
// x and y scaled by the image's width, so distances compare with stroke widths (fractions of the width)

const sub = (a: P, b: P): P => [a[0] - b[0], a[1] - b[1]];
const dot = (a: P, b: P) => a[0] * b[0] + a[1] * b[1];
const len = (a: P) => Math.hypot(a[0], a[1]);

function pointSegment(p: P, a: P, b: P): number {
  const ab = sub(b, a);
  const l2 = dot(ab, ab);
  const t = l2 === 0 ? 0 : clamp01(dot(sub(p, a), ab) / l2);
  return len(sub(p, [a[0] + ab[0] * t, a[1] + ab[1] * t]));
}

function cross(a: P, b: P, c: P) {
  return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

function segmentsIntersect(a: P, b: P, c: P, d: P): boolean {
  const d1 = cross(c, d, a);
  const d2 = cross(c, d, b);
  const d3 = cross(a, b, c);
  const d4 = cross(a, b, d);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

function segmentSegment(a: P, b: P, c: P, d: P): number {
  if (segmentsIntersect(a, b, c, d)) return 0;
  return Math.min(pointSegment(a, c, d), pointSegment(b, c, d), pointSegment(c, a, b), pointSegment(d, a, b));
}

/** Distance from a point to a polyline (one point: to that point). */
function pointPath(p: P, path: P[]): number {
  if (path.length === 1) return len(sub(p, path[0]!));
  let best = Infinity;
  for (let i = 1; i < path.length; i++) best = Math.min(best, pointSegment(p, path[i - 1]!, path[i]!));
  return best;
}

function pathPath(a: P[], b: P[]): number {
  const segs = (path: P[]): [P, P][] =>
    path.length === 1 ? [[path[0]!, path[0]!]] : path.slice(1).map((p, i) => [path[i]!, p]);
  let best = Infinity;
  for (const [p0, p1] of segs(a))
    for (const [q0, q1] of segs(b)) best = Math.min(best, segmentSegment(p0, p1, q0, q1));
  return best;
}

function insidePolygon(p: P, polygon: P[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** A vector ROI's outline as a closed polygon (boxes: 4 corners, ellipses: 48 points). */
export function outline(roi: Roi): P[] {
  const [a, b] = roi.points;
  if (roi.shape === "POLYGON" || roi.shape === "FREEHAND" || !a || !b) return roi.points;
  const x0 = Math.min(a[0], b[0]);
  const x1 = Math.max(a[0], b[0]);
  const y0 = Math.min(a[1], b[1]);
  const y1 = Math.max(a[1], b[1]);
  if (roi.shape === "RECTANGLE")
    return [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
    ];
  const [cx, cy, rx, ry] = [(x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2];
  return Array.from({ length: 48 }, (_, i) => {
    const t = (i / 48) * 2 * Math.PI;
    return [cx + rx * Math.cos(t), cy + ry * Math.sin(t)] as P;
  });
}

/**
 * Erases along `path` (normalised image points) with an eraser `eraserWidth` wide (a fraction of the image's
 * width), on an image `aspect` = height / width:
 * - a brush stroke loses the part of its centre line the eraser's paint would cover (within half the eraser's
 *   plus half the stroke's width of the path), and may fall into several strokes of the same width and class;
 * - an outline, box or ellipse the eraser touches (inside, or within reach of its edge) is deleted.
 * Returns the same array when nothing changed (so undo history records no empty step).
 */
export function eraseRois(rois: Roi[], path: P[], eraserWidth: number, aspect: number): Roi[] {
  if (path.length === 0) return rois;
  const toW = ([x, y]: P): P => [x, y * aspect];
  const pathW = path.map(toW);
  let changed = false;
  const out: Roi[] = [];
  for (const roi of rois) {
    if (roi.shape === "BRUSH") {
      const pieces = cutStroke(roi, pathW, eraserWidth / 2 + (roi.strokeWidth ?? 0) / 2, aspect);
      if (pieces === null) out.push(roi);
      else {
        changed = true;
        out.push(...pieces);
      }
      continue;
    }
    const shape = outline(roi);
    const hit =
      path.some((p) => insidePolygon(p, shape)) ||
      pathPath(pathW, [...shape, shape[0]!].map(toW)) < eraserWidth / 2;
    if (hit) changed = true;
    else out.push(roi);
  }
  return changed ? out : rois;
}

/** The stroke's pieces outside the eraser's reach, or null when the eraser does not reach it. */
function cutStroke(roi: Roi, pathW: P[], reach: number, aspect: number): Roi[] | null {
  const pts = roi.points.map(([x, y]): P => [x, y * aspect]);
  // samples along the centre line, close enough that no cut falls between two of them
  const step = Math.max(1e-5, reach / 3);
  const samples: { p: P; original: boolean }[] = [];
  pts.forEach((p, i) => {
    const prev = pts[i - 1];
    if (prev) {
      const n = Math.ceil(len(sub(p, prev)) / step);
      for (let k = 1; k < n; k++)
        samples.push({
          p: [prev[0] + ((p[0] - prev[0]) * k) / n, prev[1] + ((p[1] - prev[1]) * k) / n],
          original: false,
        });
    }
    samples.push({ p, original: true });
  });
  const keep = samples.map((s) => pointPath(s.p, pathW) >= reach);
  if (keep.every(Boolean)) return null;

  const pieces: Roi[] = [];
  let run: typeof samples = [];
  const flush = () => {
    // a lone sample is a sliver shorter than the sampling step: gone with the rest
    if (run.length >= 2) {
      const kept = run.filter((s, i) => s.original || i === 0 || i === run.length - 1);
      pieces.push({
        ...roi,
        id: pieces.length === 0 ? roi.id : newRoiId(),
        points: thinPoints(kept.map(({ p: [x, y] }): P => [clamp01(x), clamp01(y / aspect)])),
      });
    }
    run = [];
  };
  samples.forEach((s, i) => (keep[i] ? run.push(s) : flush()));
  flush();
  return pieces;
}
