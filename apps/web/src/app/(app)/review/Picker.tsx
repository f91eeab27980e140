import { type ReactNode } from "react";

/** A named drop-down of `options` (after any `children` options), `value` the chosen one's. */
export function Picker(props: {
  label: string;
  title?: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; text: string }[];
  children?: ReactNode;
}) {
  return (
    <label>
      {props.label}{" "}
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)} title={props.title}>
        {props.children}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.text}
          </option>
        ))}
      </select>
    </label>
  );
}
