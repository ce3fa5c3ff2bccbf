import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";

/**
 * The list of problems at the top of a form (WCAG 3.3.1): each links to its
 * field, and focus moves here after a failed submit so screen-reader and
 * keyboard users learn about it at once.
 */
export function ErrorSummary({
  errors,
  labels,
  options,
}: {
  errors: Record<string, string[] | undefined>;
  labels: Record<string, string>;
  options?: Record<string, unknown>;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(errors).filter(([, messages]) => messages?.length);
  useEffect(() => {
    if (entries.length) ref.current?.focus();
  }, [entries.length]);
  if (!entries.length) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{t("errors.summaryTitle")}</h2>
      <ul>
        {entries.map(([field, messages]) =>
          (messages ?? []).map((message) => (
            <li key={`${field}-${message}`}>
              {field === "form" || !labels[field] ? (
                t(message, options)
              ) : (
                <a href={`#${field}`}>
                  {labels[field]}: {t(message, options)}
                </a>
              )}
            </li>
          )),
        )}
      </ul>
    </div>
  );
}

export function FieldError({ id, messages, options }: { id: string; messages?: string[]; options?: Record<string, unknown> }) {
  const { t } = useTranslation();
  if (!messages?.length) return null;
  return (
    <p className="field-error" id={id}>
      {messages.map((message) => t(message, options)).join(" ")}
    </p>
  );
}
