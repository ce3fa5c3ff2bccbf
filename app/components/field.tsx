import type { ReactNode } from "react";
import { FieldError } from "~/components/form-errors";

/** What a form control needs to be tied to its label, hint and errors. */
export interface FieldControlProps {
  id: string;
  name: string;
  "aria-invalid": true | undefined;
  "aria-describedby": string | undefined;
}

/**
 * One form field: its label, an optional hint, the control and its
 * translated error messages, wired together so a screen reader announces
 * them with the control (the hint is "<id>-hint", the errors "<id>-error").
 * The control is drawn by `children`, which receives the props to spread on it.
 */
export function Field({
  name,
  id = name,
  label,
  hint,
  errors,
  errorOptions,
  children,
}: {
  name: string;
  id?: string;
  label: ReactNode;
  hint?: ReactNode;
  errors?: string[];
  /** Values the error messages interpolate (a measured figure…). */
  errorOptions?: Record<string, unknown>;
  children: (control: FieldControlProps) => ReactNode;
}) {
  const invalid = Boolean(errors?.length);
  const describedBy = [hint ? `${id}-hint` : "", invalid ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {children({ id, name, "aria-invalid": invalid ? true : undefined, "aria-describedby": describedBy })}
      <FieldError id={`${id}-error`} messages={errors} options={errorOptions} />
    </div>
  );
}

/** The language menu of staff forms: each option in its own name and language. */
export function LanguageSelect({
  label,
  languages,
  defaultValue,
  errors,
}: {
  label: string;
  languages: { code: string; endonym: string }[];
  defaultValue: string;
  errors?: string[];
}) {
  return (
    <Field name="language" label={label} errors={errors}>
      {(control) => (
        <select {...control} defaultValue={defaultValue}>
          {languages.map((language) => (
            <option key={language.code} value={language.code} lang={language.code}>
              {language.endonym}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
