import { cx } from "./cx";

export interface ProgressBarProps {
  /** Accessible name, e.g. "Upload of chest.png". */
  label: string;
  /** Omit (or null) for an indeterminate bar: work is going on but its extent is unknown. */
  value?: number | null;
  max?: number;
  /** Spoken instead of the bare percentage, e.g. "1.2 of 3.4 MiB". */
  valueText?: string;
  tone?: "accent" | "ok" | "error";
  className?: string;
}

/** A native <progress> (role progressbar), themed; values are clamped so a late event cannot overflow it. */
export function ProgressBar({
  label,
  value,
  max = 1,
  valueText,
  tone = "accent",
  className,
}: ProgressBarProps) {
  const determinate = value !== null && value !== undefined && max > 0;
  return (
    <progress
      className={cx("cxr-progress", `cxr-progress--${tone}`, className)}
      aria-label={label}
      aria-valuetext={valueText}
      max={determinate ? max : undefined}
      value={determinate ? Math.min(Math.max(value, 0), max) : undefined}
    />
  );
}
