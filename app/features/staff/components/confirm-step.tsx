import { useEffect, useRef, type ReactNode } from "react";
import { Form, Link, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CONFIRM_FIELD } from "~/platform/confirm";

/**
 * The second step of a mass or destructive action (app/platform/confirm.ts):
 * what will happen and to how many, a confirm button that sends back the
 * figure shown, and a way back that does nothing. Rendered by the server, so
 * it works without JavaScript; with it, focus moves to the heading so a
 * keyboard or screen-reader user lands on the question.
 */
export function ConfirmStep({
  title,
  count,
  changed,
  fields,
  confirmLabel,
  cancelTo,
  cancelLabel,
  danger = false,
  action,
  reloadDocument,
  headingLevel = 2,
  children,
}: {
  title: string;
  /** The figure the text states; sent back with the confirmation and checked again by the server. */
  count: number;
  /** The server counted again and found another figure than the one confirmed. */
  changed: boolean;
  /** The action's own fields (intent, kind…), sent again with the confirmation. */
  fields: Record<string, string>;
  confirmLabel: string;
  cancelTo: string;
  /** The way back's label when "Cancel" would be ambiguous (the action itself cancels something). */
  cancelLabel?: string;
  danger?: boolean;
  action?: string;
  /** For a confirmation whose answer is a file download. */
  reloadDocument?: boolean;
  headingLevel?: 2 | 3;
  children: ReactNode;
}) {
  const { t } = useTranslation("staff");
  const navigation = useNavigation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, [count, changed]);
  const Heading = headingLevel === 3 ? "h3" : "h2";
  return (
    <section className={`confirm-step panel${danger ? " danger" : ""}`} aria-labelledby="confirm-title">
      <Heading id="confirm-title" tabIndex={-1} ref={heading}>
        {title}
      </Heading>
      {changed ? (
        <p className="notice warning" role="alert">
          {t("confirm.changed")}
        </p>
      ) : null}
      {children}
      <Form method="post" action={action} reloadDocument={reloadDocument} className="button-row">
        {Object.entries(fields).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <input type="hidden" name={CONFIRM_FIELD} value={String(count)} />
        <button type="submit" className={danger ? "button danger" : "button"} disabled={navigation.state === "submitting"}>
          {confirmLabel}
        </button>
        <Link to={cancelTo} className="button secondary">
          {cancelLabel ?? t("confirm.cancel")}
        </Link>
      </Form>
    </section>
  );
}
