import { type ReactNode } from "react";
import { cx } from "./cx";

export interface AlertProps {
  tone?: "error" | "info";
  children: ReactNode;
}

/** Errors use role="alert" so they are announced as soon as they appear. */
export function Alert({ tone = "info", children }: AlertProps) {
  return (
    <div className={cx("cxr-alert", `cxr-alert--${tone}`)} role={tone === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}
