"use client";

/** A labelled select over a list of values; with `any`, an empty first choice that means "no filter". */
export function Choice<T extends string>(props: {
  label: string;
  value: T | undefined;
  options: readonly T[];
  text?: (v: T) => string;
  any?: boolean;
  onChange: (v: T | undefined) => void;
}) {
  return (
    <label className="admin-select">
      {props.label}
      <select
        className="cxr-field__input"
        value={props.value ?? ""}
        onChange={(e) => props.onChange((e.target.value || undefined) as T | undefined)}
      >
        {props.any ? <option value="">any</option> : null}
        {props.options.map((o) => (
          <option key={o} value={o}>
            {props.text ? props.text(o) : o}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Enum values as people read them: "LEAST_CONFIDENCE" -> "least confidence". */
export const plain = (v: string) => v.toLowerCase().replaceAll("_", " ");
