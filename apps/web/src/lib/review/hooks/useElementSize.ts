// An element's content size in whole pixels (at least 100 x 100), following its resizes.
import { useEffect, useState, type RefObject } from "react";
import { type Size } from "../view";

export function useElementSize(ref: RefObject<HTMLElement | null>, initial: Size): Size {
  const [size, setSize] = useState(initial);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => {
      if (!entry) return;
      const { width, height } = entry.contentRect;
      const next = { width: Math.max(100, Math.floor(width)), height: Math.max(100, Math.floor(height)) };
      setSize((s) => (s.width === next.width && s.height === next.height ? s : next));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return size;
}
