// Each reader's ROIs over the image in that reader's colour: an SVG in normalised coordinates laid over the
// picture, so no canvas is needed to compare a handful of outlines.
import { type StoredRoi } from "@cxr/domain";

export interface OverlayRead {
  id: string;
  colour: string;
  rois: StoredRoi[];
}

function Shape({ roi, colour }: { roi: StoredRoi; colour: string }) {
  const [a, b = a] = roi.points as [[number, number], [number, number] | undefined];
  const common = { stroke: colour, strokeWidth: 2, vectorEffect: "non-scaling-stroke" as const };
  const fill = { ...common, fill: colour, fillOpacity: 0.15 };
  switch (roi.shape) {
    case "RECTANGLE":
      return (
        <rect
          x={Math.min(a[0], b[0])}
          y={Math.min(a[1], b[1])}
          width={Math.abs(b[0] - a[0])}
          height={Math.abs(b[1] - a[1])}
          {...fill}
        />
      );
    case "ELLIPSE":
      return (
        <ellipse
          cx={(a[0] + b[0]) / 2}
          cy={(a[1] + b[1]) / 2}
          rx={Math.abs(b[0] - a[0]) / 2}
          ry={Math.abs(b[1] - a[1]) / 2}
          {...fill}
        />
      );
    case "POLYGON":
    case "FREEHAND":
      return <polygon points={roi.points.map((p) => p.join(",")).join(" ")} {...fill} />;
    case "POINT":
      return <circle cx={a[0]} cy={a[1]} r={0.015} {...fill} />;
    case "BRUSH":
      return (
        <polyline
          points={roi.points.map((p) => p.join(",")).join(" ")}
          fill="none"
          stroke={colour}
          strokeOpacity={0.5}
          strokeWidth={roi.strokeWidth ?? 0.02}
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      );
  }
}

export function ReadOverlay({ src, reads, alt }: { src: string; reads: OverlayRead[]; alt: string }) {
  return (
    <div className="adjudication-image">
      {/* eslint-disable-next-line @next/next/no-img-element -- the image API streams private bytes, no optimiser */}
      <img src={src} alt={alt} />
      <svg viewBox="0 0 1 1" preserveAspectRatio="none" aria-hidden="true" data-testid="read-overlay">
        {reads.flatMap((r) =>
          r.rois.map((roi, i) => <Shape key={`${r.id}-${i}`} roi={roi} colour={r.colour} />),
        )}
      </svg>
    </div>
  );
}
