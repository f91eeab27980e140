import { cx } from "./cx";

export interface ProbabilityItem {
  key: string;
  label: string;
  /** 0..1, or null when the model has no output for this class */
  value: number | null;
  color?: string;
  highlight?: boolean;
}

export interface ProbabilityBarsProps {
  /** what the bars are, for assistive technology (e.g. which model made them) */
  label: string;
  items: ProbabilityItem[];
}

/** Class probabilities as horizontal bars, each a labelled meter with its percentage in text. */
export function ProbabilityBars({ label, items }: ProbabilityBarsProps) {
  return (
    <ul className="cxr-probs" aria-label={label}>
      {items.map((item) => {
        const pct = item.value === null ? null : Math.round(item.value * 1000) / 10;
        return (
          <li key={item.key} className={cx("cxr-probs__item", item.highlight && "cxr-probs__item--top")}>
            <span className="cxr-probs__label">{item.label}</span>
            <span
              className="cxr-probs__track"
              role="meter"
              aria-label={item.label}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={pct ?? 0}
              aria-valuetext={pct === null ? "not predicted" : `${pct}%`}
            >
              <span
                className="cxr-probs__fill"
                style={{ width: `${pct ?? 0}%`, background: item.color ?? "var(--cxr-accent)" }}
              />
            </span>
            <span className="cxr-probs__value">{pct === null ? "—" : `${pct.toFixed(1)}%`}</span>
          </li>
        );
      })}
    </ul>
  );
}
