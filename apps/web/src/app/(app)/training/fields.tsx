// The training forms' fields: a labelled native select in the form fields' style (the UI package has none),
// the architectures a run can train, and the epochs field.
import { FormField } from "@cxr/ui";

export function Select<T extends string>(props: {
  label: string;
  value: T;
  options: readonly T[];
  names?: Record<string, string>;
  onChange: (value: T) => void;
}) {
  return (
    <div className="cxr-field">
      <label className="cxr-field__label">
        {props.label}
        <select
          className="cxr-field__input"
          value={props.value}
          onChange={(e) => props.onChange(e.target.value as T)}
        >
          {props.options.map((o) => (
            <option key={o} value={o}>
              {props.names?.[o] ?? o}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

export const trainingArchitectures = ["compact", "vgg16", "densenet121", "resnet50"] as const;

/** A run's epochs (1 to 200, as the service accepts). */
export function EpochsField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  return (
    <FormField
      label="Epochs"
      type="number"
      min={1}
      max={200}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      required
    />
  );
}
