// The active ROI tool's state in the viewer: pointer events go through the tool's machine, its edits to the
// workspace. A new session (another tool, Escape, another case) starts from idle, so nothing half drawn
// survives it.
import { useRef, useState } from "react";
import { type Point, type Roi } from "../roi";
import { IDLE, roiTools, type Target, type ToolContext, type ToolState, type ToolStep } from "../tools";
import { type Tool } from "../keymap";

interface Options {
  tool: Tool;
  /** changes when the half-drawn region must be dropped */
  session: string;
  ctx: ToolContext;
  onRoisChange: (rois: Roi[]) => void;
  onSelectRoi: (id: string | null) => void;
}

export function useRoiTool({ tool, session, ctx, onRoisChange, onSelectRoi }: Options) {
  const [held, setHeld] = useState<{ session: string; state: ToolState }>({ session, state: IDLE });
  // events can come faster than renders: each one continues from the state the previous one left
  const latest = useRef(held);
  const current = () => (latest.current.session === session ? latest.current.state : IDLE);
  const machine = roiTools[tool];

  const apply = (step: ToolStep) => {
    if (step.state !== current()) {
      latest.current = { session, state: step.state };
      setHeld(latest.current);
    }
    if (step.commit) onRoisChange(step.commit);
    if (step.select !== undefined) onSelectRoi(step.select);
  };

  return {
    state: held.session === session ? held.state : IDLE,
    down: (at: Point, target: Target) => apply(machine.down(current(), at, target, ctx)),
    move: (at: Point) => apply(machine.move(current(), at, ctx)),
    up: () => apply(machine.up(current(), ctx)),
    leave: () => apply(machine.leave(current(), ctx)),
    doubleClick: () => apply(machine.doubleClick(current(), ctx)),
  };
}
