import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field } from "~/components/field";
import { LocalTime } from "~/components/local-time";
import type { LifecycleOutcome, LifecyclePanel as Panel } from "~/features/editor/lifecycle.server";

type Refusal = Extract<LifecycleOutcome, { error: string }>;

/** The actions that need no field, in the order shown, with their button's look (closing is the dangerous one). */
const ONE_BUTTON_ACTIONS = [
  ["openNow", "button"],
  ["archive", "button secondary"],
  ["unarchive", "button secondary"],
  ["closeNow", "button danger"],
] as const;

/** Refusals about the closing time entered: shown at the field; the others above the actions. */
const FIELD_ERRORS = new Set(["lifecycle.errors.dateTime", "lifecycle.errors.beforeOpens", "lifecycle.errors.unchanged", "lifecycle.errors.notFuture"]);

/**
 * "Schedule and close" on the survey's overview: the state, when it opens
 * and closes (in the reader's zone, named), and the actions the state
 * allows, each its own plain POST form (closing asks first: the route shows
 * its ConfirmStep instead of the panel).
 */
export function LifecyclePanel({
  slug,
  panel,
  mayEdit,
  done,
  refusal,
}: {
  slug: string;
  panel: Panel;
  mayEdit: boolean;
  done: string | null;
  refusal: Refusal | null;
}) {
  const { t } = useTranslation("staff");
  const base = `/staff/surveys/${slug}`;
  const fieldError = refusal && FIELD_ERRORS.has(refusal.error) ? [`staff:${refusal.error}`] : undefined;
  const closingField = (label: string, hint: string) => (
    <Field name="closesAt" label={label} hint={hint} errors={fieldError}>
      {(control) => <input {...control} type="datetime-local" required defaultValue={refusal && fieldError ? refusal.closesAt : panel.closesAtLocal} />}
    </Field>
  );
  const has = (intent: Panel["actions"][number]) => panel.actions.includes(intent);
  const buttons = ONE_BUTTON_ACTIONS.filter(([intent]) => has(intent));
  return (
    <section aria-labelledby="lifecycle-title" className="panel lifecycle-panel">
      <h2 id="lifecycle-title">{t("lifecycle.title")}</h2>
      {done && !refusal ? (
        <p className="notice success" role="status">
          {t(`lifecycle.done.${done}`, { defaultValue: "" })}
        </p>
      ) : null}
      {refusal && !fieldError ? (
        <p className="notice warning" role="alert">
          {t(refusal.error)}
        </p>
      ) : null}
      <dl className="schedule-dates">
        <div>
          <dt>{t("surveys.state")}</dt>
          <dd>
            <span className={`badge ${panel.state}`}>{t(`surveys.states.${panel.state}`)}</span>
          </dd>
        </div>
        <div>
          <dt>{t("lifecycle.opens")}</dt>
          <dd>
            <LocalTime iso={panel.opensAt} />
          </dd>
        </div>
        <div>
          <dt>{t("lifecycle.closes")}</dt>
          <dd>
            <LocalTime iso={panel.closesAt} />
          </dd>
        </div>
      </dl>
      <p>{t(`lifecycle.explain.${panel.state}`)}</p>
      {panel.state === "draft" && mayEdit ? (
        <p>
          <Link to={`${base}/versions`}>{t("lifecycle.publishLink")}</Link> · <Link to={`${base}/edit`}>{t("lifecycle.editLink")}</Link>
        </p>
      ) : null}
      {panel.actions.length > 0 ? (
        <div className="lifecycle-actions">
          {has("deadline") ? (
            <Form method="post" className="date-form">
              <input type="hidden" name="intent" value="deadline" />
              {closingField(t("lifecycle.newClosesAt", { zone: panel.zone }), t("lifecycle.deadlineHint"))}
              <button type="submit" className="button secondary">
                {t("lifecycle.actions.deadline")}
              </button>
            </Form>
          ) : null}
          {has("reopen") ? (
            <Form method="post" className="date-form">
              <input type="hidden" name="intent" value="reopen" />
              {closingField(t("lifecycle.reopenClosesAt", { zone: panel.zone }), t("lifecycle.reopenHint"))}
              <button type="submit" className="button">
                {t("lifecycle.actions.reopen")}
              </button>
            </Form>
          ) : null}
          {has("archive") ? <p className="hint">{t("lifecycle.archiveHint")}</p> : null}
          {/* The one-button actions in a row of their own, apart from the date field they do not use. */}
          {buttons.length ? (
            <div className="button-row">
              {buttons.map(([intent, className]) => (
                <Form method="post" key={intent}>
                  <button type="submit" name="intent" value={intent} className={className}>
                    {t(`lifecycle.actions.${intent}`)}
                  </button>
                </Form>
              ))}
            </div>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
