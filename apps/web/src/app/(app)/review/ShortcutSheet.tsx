"use client";
// The `?` sheet: every shortcut, from the same table the key handler uses.
import { Button } from "@cxr/ui";
import { useEffect, useRef } from "react";
import { shortcutSheet } from "~/lib/review/keymap";

export function ShortcutSheet({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog ref={ref} className="shortcut-sheet" aria-labelledby="shortcut-title" onClose={onClose}>
      <h2 id="shortcut-title">Keyboard shortcuts</h2>
      <div className="shortcut-sheet__groups">
        {shortcutSheet.map((g) => (
          <section key={g.group}>
            <h3>{g.group}</h3>
            <dl>
              {g.keys.map(([keys, what]) => (
                <div key={keys} className="shortcut-sheet__row">
                  <dt>
                    <kbd>{keys}</kbd>
                  </dt>
                  <dd>{what}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
      <Button variant="secondary" onClick={() => ref.current?.close()} autoFocus>
        Close (Esc)
      </Button>
    </dialog>
  );
}
