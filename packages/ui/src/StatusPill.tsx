import { type ReactNode } from "react";
import { cx } from "./cx";

export type StatusTone = "ok" | "warn" | "error" | "neutral";

export interface StatusPillProps {
  tone: StatusTone;
  children: ReactNode;
  /** Spoken before the text, since the coloured dot alone carries no meaning for screen readers. */
  label?: string;
  className?: string;
}

export function StatusPill({ tone, children, label, className }: StatusPillProps) {
  return (
    <span className={cx("cxr-pill", `cxr-pill--${tone}`, className)} data-tone={tone}>
      <span className="cxr-pill__dot" aria-hidden="true" />
      {label ? <span className="cxr-visually-hidden">{label}: </span> : null}
      {children}
    </span>
  );
}
