// Regions of interest as a binary mask: what readers drew (boxes, ellipses, outlines, brush strokes, in
// normalised image coordinates) rendered at an image's size, so training can be told where the evidence is.
// The shapes are drawn as SVG and rasterised by sharp (librsvg): filled outlines, round-capped strokes and
// anti-aliased edges without hand-written scan conversion.
// The regions are @cxr/domain's StoredRoi (an Annotation row's shape, points and strokeWidth).
import { type StoredRoi } from "@cxr/domain";
import { contours } from "d3-contour";
import sharp from "sharp";
import type { Grey8 } from "./grey";

/** A point marks a spot, not an area: it becomes a disc of this share of the image's width. */
export const pointRoiDiameter = 0.03;

const fmt = (v: number) => (Math.round(v * 100) / 100).toString();

const disc = ([x, y]: readonly [number, number], diameter: number) =>
  `<circle cx="${fmt(x)}" cy="${fmt(y)}" r="${fmt(diameter / 2)}"/>`;

function svgElement(roi: StoredRoi, width: number, height: number): string {
  const pts = roi.points.map(([x, y]) => [x * width, y * height] as const);
  const a = pts[0] ?? ([0, 0] as const);
  const b = pts[1] ?? a;
  const list = pts.map((p) => `${fmt(p[0])},${fmt(p[1])}`).join(" ");
  switch (roi.shape) {
    case "RECTANGLE":
      return `<rect x="${fmt(Math.min(a[0], b[0]))}" y="${fmt(Math.min(a[1], b[1]))}" width="${fmt(Math.abs(b[0] - a[0]))}" height="${fmt(Math.abs(b[1] - a[1]))}"/>`;
    case "ELLIPSE":
      return `<ellipse cx="${fmt((a[0] + b[0]) / 2)}" cy="${fmt((a[1] + b[1]) / 2)}" rx="${fmt(Math.abs(b[0] - a[0]) / 2)}" ry="${fmt(Math.abs(b[1] - a[1]) / 2)}"/>`;
    case "POLYGON":
    case "FREEHAND":
      return `<polygon points="${list}"/>`;
    case "POINT":
      return disc(a, pointRoiDiameter * width);
    case "BRUSH": {
      const stroke = (roi.strokeWidth ?? pointRoiDiameter) * width;
      // a one-point stroke is a dab: a zero-length line draws nothing in some renderers, a circle always does
      if (pts.length === 1) return disc(a, stroke);
      return `<polyline points="${list}" fill="none" stroke="white" stroke-width="${fmt(stroke)}" stroke-linecap="round" stroke-linejoin="round"/>`;
    }
  }
}

/**
 * The union of the ROIs as an 8-bit mask of `width` x `height` (255 inside, 0 outside, intermediate values on
 * anti-aliased edges). Parts outside the image are clipped.
 */
export async function rasterizeRois(
  rois: readonly StoredRoi[],
  width: number,
  height: number,
): Promise<Grey8> {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    throw new Error(`a mask needs a positive integer size, not ${width} x ${height}`);
  const body = rois.map((r) => svgElement(r, width, height)).join("");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="100%" height="100%" fill="black"/><g fill="white">${body}</g></svg>`;
  const { data, info } = await sharp(Buffer.from(svg), { limitInputPixels: false })
    .flatten({ background: "#000000" })
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.width !== width || info.height !== height)
    throw new Error(`the mask came out ${info.width} x ${info.height}, not ${width} x ${height}`);
  return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/**
 * The regions of a mask (values at or above `threshold`) as outline ROIs in normalised coordinates, traced by
 * marching squares (d3-contour): one polygon per connected region, its outer ring (holes are left out).
 */
export function maskToRois(
  mask: { width: number; height: number; data: ArrayLike<number> },
  threshold = 0.5,
): StoredRoi[] {
  const { width, height } = mask;
  if (mask.data.length !== width * height)
    throw new Error(`the mask has ${mask.data.length} values, not ${width} x ${height}`);
  const [level] = contours().size([width, height]).thresholds([threshold])(Array.from(mask.data));
  return (level?.coordinates ?? []).flatMap((polygon) => {
    const ring = polygon[0] ?? [];
    if (ring.length < 4) return [];
    // d3 closes the ring by repeating its first point: the polygon shape closes itself
    return [
      {
        shape: "POLYGON" as const,
        points: ring.slice(0, -1).map(([x, y]) => [(x ?? 0) / width, (y ?? 0) / height] as [number, number]),
      },
    ];
  });
}
