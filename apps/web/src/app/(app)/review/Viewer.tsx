"use client";
// The image viewer (konva): full-resolution image with window/level and invert, Grad-CAM overlay, zoom and
// pan, side-by-side panels, and ROI drawing in image coordinates: boxes, outlines, brush strokes (a width
// normalised to the image) and an eraser of the same size. Loaded without SSR (konva needs a canvas).
import type Konva from "konva";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Circle, Ellipse, Group, Image as KonvaImage, Layer, Line, Rect, Stage } from "react-konva";
import { eraseRois, finishStroke, strokeWidthFor } from "~/lib/review/brush";
import { colorize, type Colormap } from "~/lib/review/colormap";
import { loadImage } from "~/lib/review/image-cache";
import { type Tool } from "~/lib/review/keymap";
import {
  boxOf,
  isMeaningfulBox,
  movePoint,
  moveRoi,
  newRoiId,
  normalisePoint,
  type Roi,
} from "~/lib/review/roi";
import { dragWindow, windowLut, type Window } from "~/lib/review/windowing";

export type ViewCommand =
  | { kind: "fit" | "actualSize" | "cancel"; n: number }
  | { kind: "zoom"; factor: number; n: number }
  | { kind: "pan"; dx: number; dy: number; n: number };

export interface OverlaySettings {
  visible: boolean;
  opacity: number;
  colormap: Colormap;
  threshold: number;
}

export interface ViewerProps {
  caseId: string;
  imageUrl: string;
  heatmapUrl: string | null;
  overlay: OverlaySettings;
  window: Window;
  invert: boolean;
  onWindowChange: (w: Window) => void;
  sideBySide: boolean;
  tool: Tool;
  rois: Roi[];
  /** the data set's own lesion outlines: drawn dashed, for reference only (not editable, not part of the read) */
  sourceRois: Roi[];
  roiClassId: string | null;
  classColors: Record<string, string>;
  selectedRoiId: string | null;
  onSelectRoi: (id: string | null) => void;
  onRoisChange: (rois: Roi[]) => void;
  /** the brush's and the eraser's diameter on screen, in pixels */
  brushSize: number;
  command: ViewCommand | null;
  /** called once the case's image is on screen (after the browser painted it) */
  onPainted?: (caseId: string) => void;
}

const GAP = 0.04;
const ROI_COLOR = "#ffd866";
const BRUSH_OPACITY = 0.55;
/** the data set's own outlines: a colour no class uses, dashed */
const SOURCE_ROI_COLOR = "#66d9ef";

interface Grey {
  width: number;
  height: number;
  values: Uint8ClampedArray;
}

const greys = new WeakMap<HTMLImageElement, Grey>();

/** The decoded image's grey values (R channel), read once per image and only when windowing needs them. */
function readGrey(img: HTMLImageElement): Grey {
  const hit = greys.get(img);
  if (hit) return hit;
  const canvas = document.createElement("canvas");
  canvas.width = img.naturalWidth;
  canvas.height = img.naturalHeight;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  if (!ctx) throw new Error("no 2D canvas");
  ctx.drawImage(img, 0, 0);
  const grey = {
    width: canvas.width,
    height: canvas.height,
    values: ctx.getImageData(0, 0, canvas.width, canvas.height).data,
  };
  greys.set(img, grey);
  return grey;
}

/** The default window, not inverted, maps every grey to itself: the decoded image can be drawn as it is. */
const isIdentity = (w: Window, invert: boolean) => !invert && w.center === 127.5 && w.width === 255;

export default function Viewer(props: ViewerProps) {
  const { caseId, imageUrl, heatmapUrl, overlay, window: win, invert, sideBySide, tool, rois } = props;
  const containerRef = useRef<HTMLDivElement>(null);
  const stageRef = useRef<Konva.Stage>(null);
  const overlayGroupRef = useRef<Konva.Group>(null);
  const [size, setSize] = useState({ width: 800, height: 600 });
  const [loaded, setLoaded] = useState<{ url: string; img: HTMLImageElement } | null>(null);
  const [heat, setHeat] = useState<HTMLImageElement | null>(null);
  const [drawing, setDrawing] = useState<Roi | null>(null);
  // an eraser drag: the ROIs as they would be, and where the eraser last was (committed on release)
  const [erasing, setErasing] = useState<{ rois: Roi[]; last: [number, number] } | null>(null);
  const cursorRef = useRef<Konva.Circle>(null);
  // the zoom, for handles of a constant size on screen
  const [scale, setScale] = useState(1);
  const wlDrag = useRef<{ x: number; y: number; start: Window } | null>(null);
  const latest = useRef(props);
  latest.current = props;

  // follow the container's size
  useEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => {
      if (!entry) return;
      const { width, height } = entry.contentRect;
      setSize({ width: Math.max(100, Math.floor(width)), height: Math.max(100, Math.floor(height)) });
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // the image, from the prefetch cache when the workspace asked for it ahead of time
  useEffect(() => {
    let live = true;
    loadImage(imageUrl)
      .then((img) => live && setLoaded({ url: imageUrl, img }))
      .catch(() => live && setLoaded(null));
    return () => {
      live = false;
    };
  }, [imageUrl]);

  useEffect(() => {
    let live = true;
    if (!heatmapUrl) {
      setHeat(null);
      return;
    }
    loadImage(heatmapUrl)
      .then((img) => live && setHeat(img))
      .catch(() => live && setHeat(null));
    return () => {
      live = false;
    };
  }, [heatmapUrl]);

  const img = loaded?.url === imageUrl ? loaded.img : null;
  const current = img ? { width: img.naturalWidth, height: img.naturalHeight } : null;
  const W = current?.width ?? 1;
  const H = current?.height ?? 1;
  const identity = isIdentity(win, invert);

  // window/level and invert through a lookup table into a canvas konva draws (and redraws while panning);
  // skipped for the default window, so opening a case costs no pass over its pixels
  const windowed = useMemo(() => {
    if (!img || identity) return null;
    const current = readGrey(img);
    const canvas = document.createElement("canvas");
    canvas.width = current.width;
    canvas.height = current.height;
    return { canvas, ctx: canvas.getContext("2d"), data: new ImageData(current.width, current.height) };
  }, [img, identity]);
  useEffect(() => {
    if (!windowed?.ctx || !img) return;
    const lut = windowLut(win, invert);
    const src = readGrey(img).values;
    const out = windowed.data.data;
    for (let i = 0; i < src.length; i += 4) {
      const v = lut[src[i]!]!;
      out[i] = v;
      out[i + 1] = v;
      out[i + 2] = v;
      out[i + 3] = 255;
    }
    windowed.ctx.putImageData(windowed.data, 0, 0);
    stageRef.current?.batchDraw();
  }, [windowed, img, win, invert]);

  const heatCanvas = useMemo(() => {
    if (!heat) return null;
    const canvas = document.createElement("canvas");
    canvas.width = heat.naturalWidth;
    canvas.height = heat.naturalHeight;
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    if (!ctx) return null;
    ctx.drawImage(heat, 0, 0);
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height);
    colorize(data.data, overlay.colormap, overlay.threshold);
    ctx.putImageData(data, 0, 0);
    return canvas;
  }, [heat, overlay.colormap, overlay.threshold]);

  const panels = sideBySide ? (["image", "heatmap", "overlay"] as const) : (["overlay"] as const);
  const contentWidth = W * (panels.length + GAP * (panels.length - 1));

  const hasImage = img !== null;
  const fit = useCallback(() => {
    const stage = stageRef.current;
    if (!stage || !hasImage) return;
    const scale = Math.min(size.width / contentWidth, size.height / H) * 0.96;
    stage.scale({ x: scale, y: scale });
    stage.position({ x: (size.width - contentWidth * scale) / 2, y: (size.height - H * scale) / 2 });
    stage.batchDraw();
    setScale(scale);
  }, [hasImage, size, contentWidth, H]);

  // a new image, a new layout or a resized container: fit, then report the paint
  useEffect(() => {
    if (!img) return;
    fit();
    const el = containerRef.current;
    const painted = latest.current.caseId;
    const frame = requestAnimationFrame(() => {
      el?.setAttribute("data-painted-case", painted);
      performance.mark("review:painted", { detail: painted });
      latest.current.onPainted?.(painted);
    });
    return () => cancelAnimationFrame(frame);
  }, [img, fit]);

  const zoomAt = useCallback((factor: number, at?: { x: number; y: number }) => {
    const stage = stageRef.current;
    if (!stage) return;
    const old = stage.scaleX();
    const scale = Math.min(40, Math.max(0.02, old * factor));
    const p = at ?? { x: stage.width() / 2, y: stage.height() / 2 };
    const anchor = { x: (p.x - stage.x()) / old, y: (p.y - stage.y()) / old };
    stage.scale({ x: scale, y: scale });
    stage.position({ x: p.x - anchor.x * scale, y: p.y - anchor.y * scale });
    stage.batchDraw();
    setScale(scale);
  }, []);

  // keyboard commands from the workspace
  const { command } = props;
  useEffect(() => {
    const stage = stageRef.current;
    if (!command || !stage) return;
    if (command.kind === "fit") fit();
    else if (command.kind === "actualSize") zoomAt(1 / stage.scaleX());
    else if (command.kind === "zoom") zoomAt(command.factor);
    else if (command.kind === "pan") {
      stage.position({ x: stage.x() + command.dx, y: stage.y() + command.dy });
      stage.batchDraw();
    } else if (command.kind === "cancel") {
      setDrawing(null);
      setErasing(null);
    }
    // only a new command (its counter) triggers this, not a changed fit or zoom function
  }, [command?.n]);

  useEffect(() => {
    setDrawing(null);
    setErasing(null);
    cursorRef.current?.visible(false);
  }, [tool, caseId]);

  /** the brush's or eraser's width now, as a fraction of the image's width */
  const toolWidth = () => strokeWidthFor(props.brushSize, stageRef.current?.scaleX() ?? scale, W);

  const pointer = (): [number, number] | null => {
    const p = overlayGroupRef.current?.getRelativePointerPosition();
    return p ? normalisePoint(p.x, p.y, W, H) : null;
  };

  const onMouseDown = (e: Konva.KonvaEventObject<MouseEvent>) => {
    if (e.evt.button === 2) {
      wlDrag.current = { x: e.evt.clientX, y: e.evt.clientY, start: latest.current.window };
      return;
    }
    if (e.evt.button !== 0) return;
    const p = pointer();
    if (!p) return;
    if (tool === "rectangle" || tool === "ellipse") {
      setDrawing({
        id: newRoiId(),
        shape: tool === "rectangle" ? "RECTANGLE" : "ELLIPSE",
        classId: props.roiClassId,
        points: [p, p],
      });
    } else if (tool === "freehand") {
      setDrawing({ id: newRoiId(), shape: "FREEHAND", classId: props.roiClassId, points: [p] });
    } else if (tool === "brush") {
      setDrawing({
        id: newRoiId(),
        shape: "BRUSH",
        classId: props.roiClassId,
        points: [p],
        strokeWidth: toolWidth(),
      });
    } else if (tool === "eraser") {
      setErasing({ rois: eraseRois(rois, [p], toolWidth(), H / W), last: p });
    } else if (tool === "polygon") {
      const first = drawing?.points[0];
      if (drawing && first && drawing.points.length >= 3 && closeTo(first, p)) {
        finishPolygon(drawing);
        return;
      }
      setDrawing(
        drawing
          ? { ...drawing, points: [...drawing.points, p] }
          : { id: newRoiId(), shape: "POLYGON", classId: props.roiClassId, points: [p] },
      );
    } else if (e.target === stageRef.current) {
      props.onSelectRoi(null);
    }
  };

  const closeTo = (a: [number, number], b: [number, number], px = 10) => {
    const scale = stageRef.current?.scaleX() ?? 1;
    return Math.hypot((a[0] - b[0]) * W, (a[1] - b[1]) * H) * scale < px;
  };

  const finishPolygon = (roi: Roi) => {
    setDrawing(null);
    if (roi.points.length >= 3) props.onRoisChange([...rois, roi]);
  };

  /** the circle that shows the brush's or eraser's size under the pointer */
  const moveCursor = () => {
    const cursor = cursorRef.current;
    if (!cursor) return;
    const show = tool === "brush" || tool === "eraser";
    const at = show ? overlayGroupRef.current?.getRelativePointerPosition() : null;
    cursor.visible(Boolean(at));
    if (at) cursor.position(at);
    cursor.getLayer()?.batchDraw();
  };

  const wlFrame = useRef(0);
  const onMouseMove = (e: Konva.KonvaEventObject<MouseEvent>) => {
    moveCursor();
    const drag = wlDrag.current;
    if (drag) {
      const { clientX, clientY } = e.evt;
      // one window update per frame: the lookup over a large image is the costly part
      cancelAnimationFrame(wlFrame.current);
      wlFrame.current = requestAnimationFrame(() =>
        latest.current.onWindowChange(dragWindow(drag.start, clientX - drag.x, clientY - drag.y)),
      );
      return;
    }
    if (erasing) {
      const p = pointer();
      if (!p || closeTo(erasing.last, p, 2)) return;
      setErasing({ rois: eraseRois(erasing.rois, [erasing.last, p], toolWidth(), H / W), last: p });
      return;
    }
    if (!drawing || drawing.shape === "POLYGON") return;
    const p = pointer();
    if (!p) return;
    if (drawing.shape === "BRUSH") {
      // a point every quarter of the brush's size (at least 2 px) is smooth enough under a round pen
      const last = drawing.points.at(-1);
      if (!last || !closeTo(last, p, Math.max(2, props.brushSize / 4)))
        setDrawing({ ...drawing, points: [...drawing.points, p] });
    } else if (drawing.shape === "FREEHAND") {
      // a point every few screen pixels keeps outlines smooth and small
      const last = drawing.points.at(-1);
      if (!last || !closeTo(last, p, 3)) setDrawing({ ...drawing, points: [...drawing.points, p] });
    } else setDrawing({ ...drawing, points: [drawing.points[0]!, p] });
  };

  const onMouseUp = () => {
    if (wlDrag.current) {
      wlDrag.current = null;
      return;
    }
    if (erasing) {
      setErasing(null);
      // one undo step per eraser drag, and none when it touched nothing
      if (erasing.rois !== rois) props.onRoisChange(erasing.rois);
      return;
    }
    if (!drawing || drawing.shape === "POLYGON") return;
    setDrawing(null);
    if (drawing.shape === "BRUSH") {
      props.onRoisChange([...rois, { ...drawing, points: finishStroke(drawing.points) }]);
      return;
    }
    if (drawing.shape === "FREEHAND") {
      if (drawing.points.length >= 3) props.onRoisChange([...rois, drawing]);
      return;
    }
    const [a, b] = drawing.points;
    if (a && b && isMeaningfulBox(a, b)) props.onRoisChange([...rois, drawing]);
  };

  const onMouseLeave = () => {
    cursorRef.current?.visible(false);
    cursorRef.current?.getLayer()?.batchDraw();
    // a stroke or an eraser drag ends where the pointer leaves the image
    if (erasing || drawing?.shape === "BRUSH") onMouseUp();
  };

  const onDblClick = () => {
    if (drawing?.shape !== "POLYGON") return;
    // konva reports two quick clicks anywhere as a double-click: only one on the same spot (whose second
    // press added a duplicate point) closes the polygon
    const last = drawing.points.at(-1);
    const before = drawing.points.at(-2);
    if (last && before && closeTo(last, before))
      finishPolygon({ ...drawing, points: drawing.points.slice(0, -1) });
  };

  const onWheel = (e: Konva.KonvaEventObject<WheelEvent>) => {
    e.evt.preventDefault();
    const p = stageRef.current?.getPointerPosition() ?? undefined;
    zoomAt(e.evt.deltaY < 0 ? 1.15 : 1 / 1.15, p);
  };

  // outlines only, never hit: they sit under the reader's own regions and take no clicks
  const renderSourceRoi = (roi: Roi) => {
    const common = {
      stroke: SOURCE_ROI_COLOR,
      strokeWidth: 1.5,
      strokeScaleEnabled: false,
      dash: [4, 4],
      listening: false,
    };
    const [a, b] = roi.points;
    if (roi.shape === "POLYGON" || roi.shape === "FREEHAND")
      return <Line key={roi.id} points={roi.points.flatMap(([x, y]) => [x * W, y * H])} closed {...common} />;
    if (roi.shape === "BRUSH")
      return (
        <Line
          key={roi.id}
          points={roi.points.flatMap(([x, y]) => [x * W, y * H])}
          {...common}
          strokeWidth={(roi.strokeWidth ?? 0.01) * W}
          strokeScaleEnabled
          opacity={BRUSH_OPACITY}
        />
      );
    if (!a || !b) return null;
    const { x, y, w, h } = boxOf(a, b, W, H);
    return roi.shape === "ELLIPSE" ? (
      <Ellipse key={roi.id} x={x + w / 2} y={y + h / 2} radiusX={w / 2} radiusY={h / 2} {...common} />
    ) : (
      <Rect key={roi.id} x={x} y={y} width={w} height={h} {...common} />
    );
  };

  const renderRoi = (roi: Roi, live = false) => {
    const color = (roi.classId && props.classColors[roi.classId]) || ROI_COLOR;
    const selected = roi.id === props.selectedRoiId;
    const common = {
      stroke: color,
      strokeWidth: selected ? 3 : 2,
      strokeScaleEnabled: false,
      dash: live ? [6, 4] : undefined,
      // a transparent fill still counts for hits: a click inside a region selects (or erases) it
      fill: selected ? `${color}33` : "rgba(0,0,0,0)",
    };
    const [a, b] = roi.points;
    let shape;
    if (roi.shape === "BRUSH") {
      // a width in image pixels, so it scales with the zoom like the anatomy under it
      shape = (
        <Line
          points={roi.points.flatMap(([x, y]) => [x * W, y * H])}
          stroke={color}
          strokeWidth={(roi.strokeWidth ?? 0.01) * W}
          lineCap="round"
          lineJoin="round"
          opacity={selected ? 0.8 : BRUSH_OPACITY}
          shadowColor={selected ? "#ffffff" : undefined}
          shadowBlur={selected ? 6 : 0}
          shadowForStrokeEnabled={selected}
        />
      );
    } else if (roi.shape === "POLYGON" || roi.shape === "FREEHAND") {
      shape = <Line points={roi.points.flatMap(([x, y]) => [x * W, y * H])} closed={!live} {...common} />;
    } else if (a && b) {
      const { x, y, w, h } = boxOf(a, b, W, H);
      shape =
        roi.shape === "RECTANGLE" ? (
          <Rect x={x} y={y} width={w} height={h} {...common} />
        ) : (
          <Ellipse x={x + w / 2} y={y + h / 2} radiusX={w / 2} radiusY={h / 2} {...common} />
        );
    } else return null;
    if (live)
      return (
        <Group key={roi.id} listening={false}>
          {shape}
        </Group>
      );
    return (
      <Group
        key={roi.id}
        draggable={tool === "select" && selected}
        listening={tool === "select"}
        onMouseDown={(e) => {
          if (e.evt.button !== 0) return;
          e.cancelBubble = true;
          props.onSelectRoi(roi.id);
        }}
        onDragEnd={(e) => {
          const node = e.target;
          const moved = moveRoi(roi, node.x() / W, node.y() / H);
          node.position({ x: 0, y: 0 });
          props.onRoisChange(rois.map((r) => (r.id === roi.id ? moved : r)));
        }}
      >
        {shape}
      </Group>
    );
  };

  // the selected ROI's points as handles: drag a vertex to edit it, a box's corner to resize it
  const renderHandles = (roi: Roi) =>
    roi.points.map(([x, y], i) => (
      <Circle
        key={`${roi.id}-${i}`}
        x={x * W}
        y={y * H}
        radius={5 / scale}
        fill="#0b0f14"
        stroke={ROI_COLOR}
        strokeWidth={2}
        strokeScaleEnabled={false}
        draggable
        onMouseDown={(e) => {
          e.cancelBubble = true;
        }}
        onDragEnd={(e) => {
          const to = normalisePoint(e.target.x(), e.target.y(), W, H);
          props.onRoisChange(rois.map((r) => (r.id === roi.id ? movePoint(r, i, to) : r)));
        }}
      />
    ));

  const heatVisible = overlay.visible && heatCanvas !== null;
  const selectedRoi = rois.find((r) => r.id === props.selectedRoiId) ?? null;
  const shown = erasing?.rois ?? rois;
  const sized = tool === "brush" || tool === "eraser";
  return (
    <div
      ref={containerRef}
      className={`viewer viewer--${tool}`}
      data-testid="viewer"
      data-window={`${Math.round(win.center)}/${Math.round(win.width)}`}
      data-heatmap={heatVisible ? (heatmapUrl ?? "") : ""}
      data-rois={rois.length}
      data-source-rois={props.sourceRois.length}
      data-layout={sideBySide ? "side-by-side" : "single"}
      data-brush-size={props.brushSize}
      data-scale={scale}
      onContextMenu={(e) => e.preventDefault()}
    >
      <Stage
        ref={stageRef}
        width={size.width}
        height={size.height}
        draggable={tool === "select"}
        onMouseDown={onMouseDown}
        onMouseMove={onMouseMove}
        onMouseUp={onMouseUp}
        onMouseLeave={onMouseLeave}
        onDblClick={onDblClick}
        onWheel={onWheel}
      >
        <Layer>
          {img
            ? panels.map((panel, i) => (
                <Group
                  key={panel}
                  x={i * W * (1 + GAP)}
                  ref={panel === "overlay" ? overlayGroupRef : undefined}
                >
                  {panel === "heatmap" ? (
                    <Rect width={W} height={H} fill="#000" listening={false} />
                  ) : (
                    <KonvaImage image={windowed?.canvas ?? img} width={W} height={H} listening={false} />
                  )}
                  {heatCanvas && (panel === "heatmap" || (panel === "overlay" && heatVisible)) ? (
                    <KonvaImage
                      image={heatCanvas}
                      width={W}
                      height={H}
                      opacity={panel === "heatmap" ? 1 : overlay.opacity}
                      listening={false}
                    />
                  ) : null}
                  {panel === "overlay" ? (
                    <>
                      {props.sourceRois.map((r) => renderSourceRoi(r))}
                      {shown.map((r) => renderRoi(r))}
                      {drawing ? renderRoi(drawing, true) : null}
                      {selectedRoi &&
                      tool === "select" &&
                      selectedRoi.shape !== "FREEHAND" &&
                      selectedRoi.shape !== "BRUSH"
                        ? renderHandles(selectedRoi)
                        : null}
                      {/* placed by moveCursor, outside React's renders */}
                      <Circle
                        ref={cursorRef}
                        visible={false}
                        listening={false}
                        radius={sized ? props.brushSize / 2 / scale : 0}
                        stroke={tool === "eraser" ? "#ff6b6b" : "#ffffff"}
                        strokeWidth={1.5}
                        strokeScaleEnabled={false}
                        dash={tool === "eraser" ? [4, 3] : undefined}
                        shadowColor="#000000"
                        shadowBlur={2}
                      />
                    </>
                  ) : null}
                </Group>
              ))
            : null}
        </Layer>
      </Stage>
      {!img ? <p className="viewer__loading">Loading image…</p> : null}
    </div>
  );
}
