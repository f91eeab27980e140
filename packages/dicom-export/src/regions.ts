// A stored ROI (normalised points, as the viewer draws it) in the source image's pixel coordinates: the SR's
// SCOORD graphic (column, row; 0,0 the top-left corner of the top-left pixel) and the SEG's raster.
import { type StoredRoi } from "@cxr/domain";
import { maskToRois, rasterizeRois } from "@cxr/imaging";
import type { LabelClassCode } from "./coding";

export interface ExportRegion extends StoredRoi {
  /** the class the reader gave the region (null: the read's finding) */
  labelClass: LabelClassCode | null;
}

export interface Graphic {
  type: "POINT" | "POLYLINE" | "ELLIPSE";
  /** column, row pairs flattened */
  data: number[];
}

const closed = (pts: [number, number][]): number[] => [...pts, pts[0]!].flat();

/** The region's graphics in pixels: one, or for a brush stroke the outline of each painted area. */
export async function graphicsOf(region: StoredRoi, columns: number, rows: number): Promise<Graphic[]> {
  const px = region.points.map(([x, y]): [number, number] => [x * columns, y * rows]);
  switch (region.shape) {
    case "POINT":
      return [{ type: "POINT", data: px[0]! }];
    case "RECTANGLE": {
      const [[x0, y0], [x1, y1]] = [px[0]!, px[1]!];
      return [
        {
          type: "POLYLINE",
          data: closed([
            [x0, y0],
            [x1, y0],
            [x1, y1],
            [x0, y1],
          ]),
        },
      ];
    }
    case "ELLIPSE": {
      const [[x0, y0], [x1, y1]] = [px[0]!, px[1]!];
      const [cx, cy, rx, ry] = [(x0 + x1) / 2, (y0 + y1) / 2, Math.abs(x1 - x0) / 2, Math.abs(y1 - y0) / 2];
      // DICOM's ELLIPSE: the major axis' two ends, then the minor axis' two ends
      const data =
        rx >= ry
          ? [cx - rx, cy, cx + rx, cy, cx, cy - ry, cx, cy + ry]
          : [cx, cy - ry, cx, cy + ry, cx - rx, cy, cx + rx, cy];
      return [{ type: "ELLIPSE", data }];
    }
    case "POLYGON":
    case "FREEHAND":
      return [{ type: "POLYLINE", data: closed(px) }];
    case "BRUSH": {
      // a stroke is a centre line with a width: its painted area, traced back to outlines
      const mask = await rasterizeRois([region], columns, rows);
      return maskToRois(mask, 128).map((outline) => ({
        type: "POLYLINE" as const,
        data: closed(outline.points.map(([x, y]): [number, number] => [x * columns, y * rows])),
      }));
    }
  }
}
