"use client";
// The image viewer (konva): the image with window/level and invert, the Grad-CAM overlay, zoom and pan,
// side-by-side panels, and the regions of interest. The settings and the view come from the workspace's
// reducer; the pictures from useViewerImages; drawing from the active tool's machine (lib/review/tools).
// Loaded without SSR (konva needs a canvas).
import type Konva from "konva";
import { useEffect, useMemo, useRef } from "react";
import { Group, Image as KonvaImage, Layer, Rect, Stage } from "react-konva";
import { useElementSize } from "~/lib/review/hooks/useElementSize";
import { usePaintedMark } from "~/lib/review/hooks/usePaintedMark";
import { useRoiTool } from "~/lib/review/hooks/useRoiTool";
import { useViewerImages } from "~/lib/review/hooks/useViewerImages";
import { normalisePoint, type Point, type Roi } from "~/lib/review/roi";
import { shownRois } from "~/lib/review/tools";
import { startWindowDrag, windowDuringDrag, type WindowDrag } from "~/lib/review/tools/window-level";
import { contentSize, panelX, resolveView, sameFrame } from "~/lib/review/view";
import { type ViewerAction, type ViewerSettings } from "~/lib/review/viewer-settings";
import { BrushCursor, useBrushCursor } from "./BrushCursor";
import { RoiLayer } from "./RoiLayer";

export interface ViewerProps {
  caseId: string;
  imageUrl: string;
  heatmapUrl: string | null;
  settings: ViewerSettings;
  onSettings: (action: ViewerAction) => void;
  rois: Roi[];
  /** the data set's own lesion outlines: drawn dashed, for reference only (not editable, not part of the read) */
  sourceRois: Roi[];
  roiClassId: string | null;
  classColors: Record<string, string>;
  selectedRoiId: string | null;
  onSelectRoi: (id: string | null) => void;
  onRoisChange: (rois: Roi[]) => void;
}

const SINGLE = ["overlay"] as const;
const SIDE_BY_SIDE = ["image", "heatmap", "overlay"] as const;

export default function Viewer(props: ViewerProps) {
  const { caseId, settings, onSettings, rois } = props;
  const { tool, overlay, brushSize } = settings;
  const containerRef = useRef<HTMLDivElement>(null);
  const stageRef = useRef<Konva.Stage>(null);
  const overlayGroupRef = useRef<Konva.Group>(null);
  const size = useElementSize(containerRef, { width: 800, height: 600 });
  const {
    image: img,
    picture,
    heatCanvas,
  } = useViewerImages({
    imageUrl: props.imageUrl,
    heatmapUrl: props.heatmapUrl,
    window: settings.window,
    invert: settings.invert,
    colormap: overlay.colormap,
    threshold: overlay.threshold,
    onRedraw: () => stageRef.current?.batchDraw(),
  });

  const W = img?.naturalWidth ?? 1;
  const H = img?.naturalHeight ?? 1;
  const panels = settings.sideBySide ? SIDE_BY_SIDE : SINGLE;
  const frame = useMemo(
    () => ({ viewport: size, content: contentSize({ width: W, height: H }, panels.length) }),
    [size, W, H, panels.length],
  );
  const view = resolveView(settings.view, frame);

  // the frame for the workspace's keyboard zoom and pan; a new image is fitted. Only changes are sent: an
  // update of the workspace between a new case's image and its paint would cost the reader a frame.
  const reported = !img || sameFrame(settings.frame, frame);
  useEffect(() => {
    if (!reported) onSettings({ type: "frame", frame });
  }, [reported, frame, onSettings]);
  const fitted = settings.view.fit;
  useEffect(() => {
    if (img && !fitted) onSettings({ type: "fit" });
    // a new image, not a zoom of the one shown
  }, [img, onSettings]);
  usePaintedMark(containerRef, caseId, img, `${size.width}x${size.height}:${panels.length}`);

  const roiTool = useRoiTool({
    tool,
    session: `${caseId}:${settings.toolSession}`,
    ctx: {
      rois,
      classId: props.roiClassId,
      selectedId: props.selectedRoiId,
      width: W,
      height: H,
      scale: view.scale,
      brushSize,
    },
    onRoisChange: props.onRoisChange,
    onSelectRoi: props.onSelectRoi,
  });
  const cursor = useBrushCursor(overlayGroupRef, tool, caseId);

  const pointer = (): Point | null => {
    const p = overlayGroupRef.current?.getRelativePointerPosition();
    return p ? normalisePoint(p.x, p.y, W, H) : null;
  };

  // right-drag: window and level, one update per frame (the lookup over a large image is the costly part)
  const windowDrag = useRef<WindowDrag | null>(null);
  const windowFrame = useRef(0);

  const onMouseDown = (e: Konva.KonvaEventObject<MouseEvent>) => {
    if (e.evt.button === 2) {
      windowDrag.current = startWindowDrag(e.evt.clientX, e.evt.clientY, settings.window);
      return;
    }
    const p = e.evt.button === 0 ? pointer() : null;
    if (p) roiTool.down(p, { kind: "image" });
  };

  const onMouseMove = (e: Konva.KonvaEventObject<MouseEvent>) => {
    cursor.move();
    const drag = windowDrag.current;
    if (drag) {
      const { clientX, clientY } = e.evt;
      cancelAnimationFrame(windowFrame.current);
      windowFrame.current = requestAnimationFrame(() =>
        onSettings({ type: "window", window: windowDuringDrag(drag, clientX, clientY) }),
      );
      return;
    }
    const p = pointer();
    if (p) roiTool.move(p);
  };

  const onMouseUp = () => {
    if (windowDrag.current) windowDrag.current = null;
    else roiTool.up();
  };

  const onMouseLeave = () => {
    cursor.hide();
    roiTool.leave();
  };

  const onWheel = (e: Konva.KonvaEventObject<WheelEvent>) => {
    e.evt.preventDefault();
    const at = stageRef.current?.getPointerPosition() ?? undefined;
    onSettings({ type: "zoom", factor: e.evt.deltaY < 0 ? 1.15 : 1 / 1.15, at });
  };

  // the stage's own drag pans (select tool); the view takes where it ended
  const onDragEnd = (e: Konva.KonvaEventObject<DragEvent>) => {
    const stage = stageRef.current;
    if (stage && e.target === stage) onSettings({ type: "panTo", x: stage.x(), y: stage.y() });
  };

  const state = roiTool.state;
  const heatVisible = overlay.visible && heatCanvas !== null;
  return (
    <div
      ref={containerRef}
      className={`viewer viewer--${tool}`}
      data-testid="viewer"
      data-window={`${Math.round(settings.window.center)}/${Math.round(settings.window.width)}`}
      data-heatmap={heatVisible ? (props.heatmapUrl ?? "") : ""}
      data-rois={rois.length}
      data-source-rois={props.sourceRois.length}
      data-layout={settings.sideBySide ? "side-by-side" : "single"}
      data-brush-size={brushSize}
      data-scale={view.scale}
      onContextMenu={(e) => e.preventDefault()}
    >
      <Stage
        ref={stageRef}
        width={size.width}
        height={size.height}
        x={view.x}
        y={view.y}
        scaleX={view.scale}
        scaleY={view.scale}
        draggable={tool === "select"}
        onMouseDown={onMouseDown}
        onMouseMove={onMouseMove}
        onMouseUp={onMouseUp}
        onMouseLeave={onMouseLeave}
        onDblClick={() => roiTool.doubleClick()}
        onWheel={onWheel}
        onDragEnd={onDragEnd}
      >
        <Layer>
          {img
            ? panels.map((panel, i) => (
                <Group key={panel} x={panelX(i, W)} ref={panel === "overlay" ? overlayGroupRef : undefined}>
                  {panel === "heatmap" ? (
                    <Rect width={W} height={H} fill="#000" listening={false} />
                  ) : (
                    <KonvaImage image={picture ?? undefined} width={W} height={H} listening={false} />
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
                      <RoiLayer
                        image={{ width: W, height: H }}
                        scale={view.scale}
                        tool={tool}
                        rois={shownRois(state, rois)}
                        sourceRois={props.sourceRois}
                        drawing={state.kind === "drawing" ? state.roi : null}
                        selectedRoiId={props.selectedRoiId}
                        classColors={props.classColors}
                        onDown={(target) => {
                          const p = pointer();
                          if (p) roiTool.down(p, target);
                        }}
                      />
                      <BrushCursor ref={cursor.ref} tool={tool} size={brushSize} scale={view.scale} />
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
