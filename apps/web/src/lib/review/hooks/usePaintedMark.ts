// Reports a case's image on screen once the browser painted it: `data-painted-case` on the viewer (what the
// browser tests wait for) and a `review:painted` performance mark (the key-to-next-case benchmark).
import { useEffect, useRef, type RefObject } from "react";

export function usePaintedMark(
  ref: RefObject<HTMLElement | null>,
  caseId: string,
  image: HTMLImageElement | null,
  /** changes with the layout (size, panels): drawn again, reported again */
  layout: string,
) {
  const latestCase = useRef(caseId);
  latestCase.current = caseId;
  useEffect(() => {
    if (!image) return;
    const el = ref.current;
    const painted = latestCase.current;
    const frame = requestAnimationFrame(() => {
      el?.setAttribute("data-painted-case", painted);
      performance.mark("review:painted", { detail: painted });
    });
    return () => cancelAnimationFrame(frame);
  }, [ref, image, layout]);
}
