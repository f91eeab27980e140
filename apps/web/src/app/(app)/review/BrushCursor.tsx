"use client";
// The circle that shows the brush's or the eraser's size under the pointer. It follows the pointer outside
// React's renders (a render per mouse move would cost frames on large images).
import type Konva from "konva";
import { useEffect, useRef, type RefObject } from "react";
import { Circle } from "react-konva";
import { type Tool } from "~/lib/review/keymap";

const sized = (tool: Tool) => tool === "brush" || tool === "eraser";

/** The cursor's node and how to move or hide it; `within`: the group whose coordinates it lives in. */
export function useBrushCursor(within: RefObject<Konva.Group | null>, tool: Tool, caseId: string) {
  const ref = useRef<Konva.Circle>(null);
  const show = (at: { x: number; y: number } | null | undefined) => {
    const cursor = ref.current;
    if (!cursor) return;
    cursor.visible(Boolean(at));
    if (at) cursor.position(at);
    cursor.getLayer()?.batchDraw();
  };
  useEffect(() => {
    ref.current?.visible(false);
  }, [tool, caseId]);
  return {
    ref,
    move: () => show(sized(tool) ? within.current?.getRelativePointerPosition() : null),
    hide: () => show(null),
  };
}

export function BrushCursor(p: {
  ref: RefObject<Konva.Circle | null>;
  tool: Tool;
  size: number;
  scale: number;
}) {
  return (
    <Circle
      ref={p.ref}
      visible={false}
      listening={false}
      radius={sized(p.tool) ? p.size / 2 / p.scale : 0}
      stroke={p.tool === "eraser" ? "#ff6b6b" : "#ffffff"}
      strokeWidth={1.5}
      strokeScaleEnabled={false}
      dash={p.tool === "eraser" ? [4, 3] : undefined}
      shadowColor="#000000"
      shadowBlur={2}
    />
  );
}
