// The workspace's keys: each key press the keymap knows becomes an action, except while the reader types in
// a field (Escape leaves it) or a dialog is open.
import { useEffect, useRef } from "react";
import { actionFor, type Action } from "../keymap";

export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !["radio", "checkbox", "button"].includes(target.type);
}

/** `classHotkeys`: the label set's hotkeys in the order of the number keys (see actionFor). */
export function useReviewKeys(
  run: (action: Action) => void,
  paused: boolean,
  classHotkeys: readonly (string | null)[] = [],
) {
  const handler = useRef<(e: KeyboardEvent) => void>(() => undefined);
  handler.current = (e: KeyboardEvent) => {
    if (paused) return;
    if (isTyping(e.target)) {
      if (e.key === "Escape" && e.target instanceof HTMLElement) e.target.blur();
      return;
    }
    const action = actionFor(e, classHotkeys);
    if (!action) return;
    e.preventDefault();
    run(action);
  };
  useEffect(() => {
    const listener = (e: KeyboardEvent) => handler.current(e);
    window.addEventListener("keydown", listener);
    return () => window.removeEventListener("keydown", listener);
  }, []);
}
