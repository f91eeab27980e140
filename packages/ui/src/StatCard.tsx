import { type ReactNode } from "react";

export interface StatCardProps {
  label: string;
  value: ReactNode;
  hint?: string;
}

export function StatCard({ label, value, hint }: StatCardProps) {
  return (
    <div className="cxr-stat">
      <dt className="cxr-stat__label">{label}</dt>
      <dd className="cxr-stat__value">{value}</dd>
      {hint ? <dd className="cxr-stat__hint">{hint}</dd> : null}
    </div>
  );
}

/** A definition list wrapper, so a row of StatCards reads as label/value pairs. */
export function StatGrid({ children, label }: { children: ReactNode; label?: string }) {
  return (
    <dl className="cxr-stat-grid" aria-label={label}>
      {children}
    </dl>
  );
}
