import { useId, type InputHTMLAttributes } from "react";
import { cx } from "./cx";

export interface FormFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "id"> {
  label: string;
  id?: string;
  hint?: string;
  error?: string;
}

/** A labelled input whose hint and error are wired to it with aria-describedby. */
export function FormField({ label, id, hint, error, className, ...input }: FormFieldProps) {
  const generated = useId();
  const inputId = id ?? generated;
  const hintId = hint ? `${inputId}-hint` : undefined;
  const errorId = error ? `${inputId}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={cx("cxr-field", error && "cxr-field--invalid", className)}>
      <label htmlFor={inputId} className="cxr-field__label">
        {label}
      </label>
      <input
        id={inputId}
        className="cxr-field__input"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...input}
      />
      {hint ? (
        <p id={hintId} className="cxr-field__hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="cxr-field__error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
