// One class as typed into a form (key, name, colour, hotkey): its inputs, and the API's shape of it.
import { type InputHTMLAttributes } from "react";

export interface ClassDraft {
  key: string;
  name: string;
  color: string;
  hotkey: string;
}

export const blankClass = (n: number): ClassDraft => ({
  key: "",
  name: "",
  color: ["#4caf50", "#ff9800", "#f44336", "#9c27b0", "#2196f3", "#795548"][n % 6]!,
  hotkey: n < 9 ? String(n + 1) : "",
});

export const toInput = (c: ClassDraft) => ({
  key: c.key.trim(),
  name: c.name.trim(),
  color: c.color,
  hotkey: c.hotkey.trim() === "" ? null : c.hotkey.trim(),
});

/** The inputs of one class, in the row's column order (key, name, colour, hotkey). */
const classInputs: { field: keyof ClassDraft; attrs: InputHTMLAttributes<HTMLInputElement> }[] = [
  { field: "key", attrs: { placeholder: "key", required: true } },
  { field: "name", attrs: { placeholder: "Name", required: true } },
  { field: "color", attrs: { type: "color" } },
  { field: "hotkey", attrs: { placeholder: "hotkey", maxLength: 1 } },
];
const fieldNames: Record<keyof ClassDraft, string> = {
  key: "key",
  name: "name",
  color: "colour",
  hotkey: "hotkey",
};

export function ClassFields(props: { value: ClassDraft; onChange: (c: ClassDraft) => void; label: string }) {
  const { value, onChange, label } = props;
  return (
    <>
      {classInputs.map(({ field, attrs }) => (
        <input
          key={field}
          className="cxr-field__input"
          {...attrs}
          aria-label={`${label} ${fieldNames[field]}`}
          value={value[field]}
          onChange={(e) => onChange({ ...value, [field]: e.target.value })}
        />
      ))}
    </>
  );
}
