import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { isolate } from "~/platform/bidi";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { TranslationUploadForm, UploadRefused } from "~/features/translations/components/translation-upload";
import { requireStaff } from "~/features/staff/auth.server";
import { canTranslate } from "~/features/staff/permissions";
import { getFixedT, detectLanguage } from "~/platform/i18n.server";
import {
  completionSummary,
  isValidLanguageCode,
  MAX_LOCALE_FILE_BYTES,
  receiveTranslationUpload,
  setLanguageComplete,
  translationOverview,
} from "~/features/translations/translations.server";
import { CLOSE_CONNECTION, readForm } from "~/platform/forms.server";
import { confirmationFor, confirmationStatus } from "~/platform/confirm";
import { ConfirmStep } from "~/features/staff/components/confirm-step";
import { TableFrame } from "~/components/table-frame";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Parley" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request, "translations.edit");
  const url = new URL(request.url);
  // "Start a language": a plain GET form, so it works without JavaScript.
  const start = url.searchParams.get("start");
  if (start !== null) {
    const code = start.trim();
    if (isValidLanguageCode(code)) return redirect(`/staff/translations/${code}/common`);
  }
  const overview = await translationOverview();
  const t = getFixedT(detectLanguage(request, user.language), "staff");
  const page = {
    title: t("translations.title"),
    badStart: start !== null ? start.slice(0, 40) : null,
    marked: url.searchParams.get("marked"),
    maxKilobytes: MAX_LOCALE_FILE_BYTES / 1024,
    namespaces: overview.namespaces,
    settingsProblem: overview.settingsProblem,
    overrides: overview.languages.flatMap(({ code, overridden }) => overridden.map((namespace) => ({ language: code, namespace }))),
    languages: overview.languages.map(({ code, endonym, report, overridden }) => ({
      code,
      endonym,
      overridden,
      complete: report.complete,
      percent: report.percent,
      wordsLeft: report.wordsLeft,
      errors: report.errors,
      warnings: report.warnings,
      files: Object.fromEntries(
        report.files.map((file) => [file.namespace, { percent: file.percent, errors: file.errors, missing: file.missing, outdated: file.outdated }]),
      ),
    })),
  };
  return data(page, { status: start !== null ? 400 : 200 });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireStaff(request, "translations.edit");
  if ((request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    const outcome = await receiveTranslationUpload(request, user.id, (language) => canTranslate(user.grants, language));
    if (!outcome.ok) return data({ refusal: outcome }, { status: outcome.status, headers: outcome.status === 413 ? CLOSE_CONNECTION : undefined });
    return redirect(
      `/staff/translations/${outcome.language}/${outcome.namespace}?uploaded=${outcome.translated}&total=${outcome.total}&dropped=${outcome.dropped}`,
    );
  }
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const language = String(form.get("language") ?? "");
  if (intent !== "complete" && intent !== "incomplete") return data({ refusal: { reason: "fields" as const } }, { status: 400 });
  if (intent === "complete") {
    // Marking complete makes every later gap fail the check: first say so, with the warnings that stay.
    const summary = await completionSummary(language);
    if (!summary.ok) return data({ refusal: { reason: summary.reason } }, { status: summary.status });
    const confirmation = confirmationFor(form, summary.warnings);
    if (confirmation) return data({ refusal: null, complete: { ...summary, ...confirmation } }, { status: confirmationStatus(confirmation) });
  }
  const outcome = await setLanguageComplete(user.id, language, intent === "complete");
  if (!outcome.ok) return data({ refusal: { reason: outcome.reason } }, { status: outcome.status });
  return redirect(`/staff/translations?marked=${intent}`);
}

export default function Translations() {
  const { badStart, marked, maxKilobytes, namespaces, settingsProblem, languages, overrides } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation("staff");
  const number = new Intl.NumberFormat(i18n.language);
  const percent = (value: number) => new Intl.NumberFormat(i18n.language, { style: "percent" }).format(value / 100);
  const complete = actionData && "complete" in actionData ? actionData.complete : null;
  if (complete) {
    const language = isolate(complete.endonym);
    return (
      <section aria-labelledby="translations-title">
        <h1 id="translations-title">{t("translations.title")}</h1>
        <ConfirmStep
          title={t("translations.confirmComplete.title", { language })}
          count={complete.warnings}
          changed={complete.changed}
          fields={{ intent: "complete", language: complete.code }}
          confirmLabel={t("translations.confirmComplete.button", { language })}
          cancelTo="/staff/translations"
        >
          <p>{t("translations.confirmComplete.body", { language })}</p>
          <p>
            {complete.warnings > 0
              ? t("translations.confirmComplete.warnings", { language, count: complete.warnings, formatted: number.format(complete.warnings) })
              : t("translations.confirmComplete.noWarnings", { language })}
          </p>
          <p>{t("translations.confirmComplete.visitors")}</p>
        </ConfirmStep>
      </section>
    );
  }
  return (
    <section aria-labelledby="translations-title">
      <h1 id="translations-title">{t("translations.title")}</h1>
      <p>{t("translations.intro")}</p>
      {actionData?.refusal ? <UploadRefused refusal={actionData.refusal} maxKilobytes={maxKilobytes} /> : null}
      {marked === "complete" || marked === "incomplete" ? (
        <p className="notice success" role="status">
          {t(`translations.marked.${marked}`)}
        </p>
      ) : null}
      {settingsProblem ? (
        <p className="notice warning">
          {t("translations.settingsProblem")} <code dir="ltr">{settingsProblem}</code>
        </p>
      ) : null}

      <h2 id="languages-title">{t("translations.languagesTitle")}</h2>
      <TableFrame labelledBy="languages-title">
        <table>
          <caption className="visually-hidden">{t("translations.languagesTitle")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("translations.language")}</th>
              <th scope="col" className="numeric">
                {t("translations.done")}
              </th>
              <th scope="col" className="numeric">
                {t("translations.wordsLeft")}
              </th>
              <th scope="col" className="numeric">
                {t("translations.errors")}
              </th>
              <th scope="col" className="numeric">
                {t("translations.warnings")}
              </th>
              <th scope="col">{t("translations.status")}</th>
            </tr>
          </thead>
          <tbody>
            {languages.map((language) => (
              <tr key={language.code}>
                <th scope="row">
                  <span lang={language.code}>{language.endonym}</span> <span className="muted">({language.code})</span>
                </th>
                <td className="numeric">{percent(language.percent)}</td>
                <td className="numeric">{number.format(language.wordsLeft)}</td>
                <td className="numeric">{number.format(language.errors)}</td>
                <td className="numeric">{number.format(language.warnings)}</td>
                <td>
                  {language.code === "en" ? (
                    t("translations.reference")
                  ) : (
                    <Form method="post" className="inline-form compact">
                      <input type="hidden" name="language" value={language.code} />
                      <span className={`badge${language.complete ? " open" : ""}`}>
                        {t(language.complete ? "translations.markedComplete" : "translations.inProgress")}
                      </span>
                      {language.complete ? (
                        <button type="submit" name="intent" value="incomplete" className="button secondary small">
                          {t("translations.markIncomplete")}
                        </button>
                      ) : language.errors === 0 ? (
                        <button type="submit" name="intent" value="complete" className="button secondary small">
                          {t("translations.markComplete")}
                        </button>
                      ) : null}
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableFrame>
      <p className="hint">{t("translations.completeHint")}</p>

      <h2 id="files-title">{t("translations.filesTitle")}</h2>
      <TableFrame labelledBy="files-title">
        <table className="translation-matrix">
          <caption className="visually-hidden">{t("translations.filesTitle")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("translations.file")}</th>
              {languages.map((language) => (
                <th scope="col" key={language.code} className="numeric">
                  {language.code}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {namespaces.map((namespace) => (
              <tr key={namespace}>
                <th scope="row">
                  <code dir="ltr">{namespace}.json</code>
                </th>
                {languages.map((language) => {
                  const file = language.files[namespace];
                  if (!file) return <td key={language.code} />;
                  return (
                    <td key={language.code} className="numeric">
                      <Link
                        to={`/staff/translations/${language.code}/${namespace}`}
                        aria-label={t("translations.cellLabel", { language: language.endonym, file: `${namespace}.json`, percent: percent(file.percent) })}
                      >
                        {percent(file.percent)}
                      </Link>
                      {language.overridden.includes(namespace) ? <span className="cell-problems">{t("translations.overriddenCell")}</span> : null}
                      {file.errors > 0 ? (
                        <span className="cell-problems">{t("translations.problems", { count: file.errors, formatted: number.format(file.errors) })}</span>
                      ) : null}
                      {file.outdated > 0 ? (
                        <span className="cell-problems">
                          {t("translations.outdatedCell", { count: file.outdated, formatted: number.format(file.outdated) })}
                        </span>
                      ) : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </TableFrame>

      <h2>{t("translations.overridesTitle")}</h2>
      <p>{t("translations.overridesIntro")}</p>
      {overrides.length === 0 ? (
        <p>{t("translations.overridesNone")}</p>
      ) : (
        <>
          <ul>
            {overrides.map(({ language, namespace }) => (
              <li key={`${language}/${namespace}`}>
                <Link to={`/staff/translations/${language}/${namespace}`}>
                  <code dir="ltr">
                    {language}/{namespace}.json
                  </code>
                </Link>
              </li>
            ))}
          </ul>
          <p>
            <a className="button secondary" href="/staff/translations/export" download>
              {t("translations.export")}
            </a>
          </p>
        </>
      )}

      <h2>{t("translations.uploadTitle")}</h2>
      <p>{t("translations.uploadIntro")}</p>
      <TranslationUploadForm action="/staff/translations?index" choices={{ languages: languages.filter((language) => language.code !== "en"), namespaces }} />

      <h2>{t("translations.startTitle")}</h2>
      <Form method="get" className="inline-form">
        <label htmlFor="start-language">{t("translations.startLabel")}</label>
        <input
          id="start-language"
          name="start"
          type="text"
          dir="ltr"
          required
          autoComplete="off"
          aria-describedby="start-hint"
          aria-invalid={badStart ? true : undefined}
          defaultValue={badStart ?? undefined}
        />
        <button type="submit" className="button secondary">
          {t("translations.start")}
        </button>
      </Form>
      {badStart ? (
        <p className="field-error" role="alert">
          {t("translations.badCode", { code: badStart })}
        </p>
      ) : null}
      <p id="start-hint" className="hint">
        {t("translations.startHint")}
      </p>
    </section>
  );
}
