"use client";
// a client component: it keeps the drag highlight in state (the directive is ignored outside React Server Components)
import { useRef, useState, type DragEvent, type ReactNode } from "react";
import { cx } from "./cx";

export interface DropZoneProps {
  /** Accessible name of the zone (a group holding the keyboard-reachable alternatives). */
  label: string;
  title: ReactNode;
  description?: ReactNode;
  /** Called with the drop's DataTransfer; read its items synchronously, the browser empties it afterwards. */
  onDrop: (dataTransfer: DataTransfer) => void;
  disabled?: boolean;
  /** The alternatives to dragging (file pickers): dropping is not possible with a keyboard. */
  children?: ReactNode;
}

const carriesFiles = (event: DragEvent) => Array.from(event.dataTransfer.types).includes("Files");

export function DropZone({ label, title, description, onDrop, disabled = false, children }: DropZoneProps) {
  const [active, setActive] = useState(false);
  // dragenter/dragleave fire for every child crossed: count them so the highlight does not flicker
  const depth = useRef(0);

  const over = (event: DragEvent) => {
    if (disabled || !carriesFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
  };

  return (
    <div
      role="group"
      aria-label={label}
      aria-disabled={disabled || undefined}
      className={cx("cxr-dropzone", active && "cxr-dropzone--active", disabled && "cxr-dropzone--disabled")}
      onDragEnter={(event) => {
        if (disabled || !carriesFiles(event)) return;
        event.preventDefault();
        depth.current += 1;
        setActive(true);
      }}
      onDragOver={over}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setActive(false);
      }}
      onDrop={(event) => {
        depth.current = 0;
        setActive(false);
        if (disabled) return;
        event.preventDefault();
        onDrop(event.dataTransfer);
      }}
    >
      <p className="cxr-dropzone__title">{title}</p>
      {description ? <p className="cxr-dropzone__description">{description}</p> : null}
      {children ? <div className="cxr-dropzone__actions">{children}</div> : null}
    </div>
  );
}
