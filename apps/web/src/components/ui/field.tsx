import { cloneElement, useId, type InputHTMLAttributes, type ReactElement, type ReactNode } from "react";
import { input as inputClass, label as labelClass } from "../../lib/classes";
import type { FormErrors } from "../../lib/form-errors";

/** What a {@link Field} sets on its control. */
interface ControlProps {
  id?: string;
  "aria-describedby"?: string;
  "aria-invalid"?: boolean | "true" | "false";
}

/**
 * One form row: a visible label wrapping its control (so the label is the control's accessible name),
 * then an optional hint and an optional error, both tied to the control with `aria-describedby`; an error
 * also sets `aria-invalid`. The hint and error stay outside the label so they describe the control
 * without becoming part of its name.
 */
export function Field({
  label,
  hint,
  error,
  className,
  children,
}: {
  label: ReactNode;
  /** Help shown under the control (units, formats, what happens). */
  hint?: ReactNode;
  /** What is wrong with the value; nothing when it is fine. */
  error?: ReactNode;
  /** Classes of the row (e.g. a grid span). */
  className?: string;
  /** The one control: an input, select or textarea. */
  children: ReactElement<ControlProps>;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy =
    [children.props["aria-describedby"], hintId, errorId].filter(Boolean).join(" ") || undefined;
  const control = cloneElement(children, {
    "aria-describedby": describedBy,
    "aria-invalid": error ? true : children.props["aria-invalid"],
  });
  return (
    <div className={`flex flex-col gap-1 ${className ?? ""}`}>
      <label className={labelClass}>
        {label}
        {control}
      </label>
      {hint ? (
        <p id={hintId} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="text-xs font-medium text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** What a {@link NumberField} shows: its input's own attributes besides these. */
type NumberInputProps = Omit<
  InputHTMLAttributes<HTMLInputElement>,
  "type" | "name" | "className" | "children"
>;

/**
 * A number input in a {@link Field}. `name` is at once the form field, the API's input field and the key of
 * its message in `errors` (from `formErrors`), so a form lists each number once. Other props (`min`, `max`,
 * `step`, `required`, `defaultValue`, `placeholder`, `data-testid`…) go to the input.
 */
export function NumberField({
  name,
  label,
  hint,
  errors,
  className,
  inputClassName = inputClass,
  ...inputProps
}: NumberInputProps & {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  /** The form's errors; the one under `name` is shown. */
  errors?: FormErrors;
  /** Classes of the row. */
  className?: string;
  /** Classes of the input (default: the shared input style). */
  inputClassName?: string;
}) {
  return (
    <Field label={label} hint={hint} error={errors?.fields[name]} className={className}>
      <input {...inputProps} name={name} type="number" className={inputClassName} />
    </Field>
  );
}
