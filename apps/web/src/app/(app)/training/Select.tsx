// A labelled native select in the form fields' style (the UI package has none).
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
