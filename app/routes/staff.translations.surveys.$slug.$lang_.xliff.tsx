import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LocaleProblemText } from "~/features/translations/components/translation-upload";
import { requireSurveyLanguage, requireStaffSurvey } from "~/features/staff/survey-access.server";
import { editableLanguage } from "~/features/translations/survey-editor.server";
import { importXliff, MAX_XLIFF_BYTES } from "~/features/translations/xliff.server";
import { CLOSE_CONNECTION, readForm } from "~/platform/forms.server";
import { languageInfo } from "~/platform/i18n.server";

export const meta: MetaFunction = () => [{ title: "XLIFF · Parley" }];

async function access(request: Request, params: LoaderFunctionArgs["params"]) {
  const { user, survey } = await requireStaffSurvey(request, params, "surveys.translate");
  const language = params.lang ?? "";
  if (!editableLanguage(language)) throw new Response("Not found", { status: 404 });
  await requireSurveyLanguage(request, user, survey.id, language);
  return { user, survey, language };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { survey, language } = await access(request, params);
  const imported = new URL(request.url).searchParams.get("imported");
  return data({
    slug: survey.slug,
    language,
    endonym: languageInfo(language).endonym,
    maxKilobytes: MAX_XLIFF_BYTES / 1024,
    imported: imported && /^\d{1,9}$/.test(imported) ? Number(imported) : null,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, survey, language } = await access(request, params);
  let form: FormData;
  try {
    form = await readForm(request, MAX_XLIFF_BYTES + 64 * 1024);
  } catch (error) {
    const tooLarge = error instanceof Response && error.status === 413;
    return data({ reason: tooLarge ? ("tooLarge" as const) : ("fields" as const), problems: [] }, { status: tooLarge ? 413 : 400, headers: CLOSE_CONNECTION });
  }
  const file = form.get("file");
  if (!(file instanceof Blob) || file.size === 0) return data({ reason: "fields" as const, problems: [] }, { status: 400 });
  const outcome = await importXliff(survey, language, file, user.id);
  if (!outcome.ok) return data({ reason: outcome.reason, problems: outcome.problems ?? [] }, { status: outcome.status });
  return redirect(`/staff/translations/surveys/${survey.slug}/${language}/xliff?imported=${outcome.version}`);
}

export default function SurveyXliff() {
  const { slug, language, endonym, maxKilobytes, imported } = useLoaderData<typeof loader>();
  const refusal = useActionData<typeof action>();
  const { t, i18n } = useTranslation("staff");
  const number = new Intl.NumberFormat(i18n.language);
  const base = `/staff/translations/surveys/${slug}/${language}`;
  return (
    <section aria-labelledby="xliff-title">
      <p>
        <Link to={base}>{t("surveyTexts.xliff.back")}</Link>
      </p>
      <h1 id="xliff-title">
        {t("surveyTexts.xliff.title")} · <span lang={language}>{endonym}</span> · <code dir="ltr">{slug}</code>
      </h1>
      {imported !== null ? (
        <p className="notice success" role="status">
          {t("surveyTexts.xliff.imported", { version: number.format(imported) })}
        </p>
      ) : null}
      {refusal ? (
        <div className="notice error" role="alert">
          <h2>{t("surveyTexts.notSaved")}</h2>
          <p>
            {refusal.reason === "problems"
              ? t("surveyTexts.problems", { count: refusal.problems.length, formatted: number.format(refusal.problems.length) })
              : t(`surveyTexts.xliff.refused.${refusal.reason}`, { max: number.format(maxKilobytes) })}
          </p>
          {refusal.problems.length ? (
            <ul className="problem-list">
              {refusal.problems.map((problem, index) => (
                <li key={index}>
                  <LocaleProblemText problem={problem} />
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <p>{t("surveyTexts.xliff.intro")}</p>
      <h2>{t("surveyTexts.xliff.downloadTitle")}</h2>
      <ul className="button-row plain-list">
        <li>
          <a className="button" href={`${base}/xliff/download?version=2.0`} download>
            {t("surveyTexts.xliff.download", { version: "2.0" })}
          </a>
        </li>
        <li>
          <a className="button secondary" href={`${base}/xliff/download?version=1.2`} download>
            {t("surveyTexts.xliff.download", { version: "1.2" })}
          </a>
        </li>
      </ul>
      <h2>{t("surveyTexts.xliff.uploadTitle")}</h2>
      <Form method="post" encType="multipart/form-data">
        <div className="field">
          <label htmlFor="xliff-file">{t("surveyTexts.xliff.file")}</label>
          <p className="hint" id="xliff-file-hint">
            {t("surveyTexts.xliff.fileHint", { max: number.format(maxKilobytes) })}
          </p>
          <input id="xliff-file" name="file" type="file" accept=".xlf,.xliff,application/xliff+xml" required aria-describedby="xliff-file-hint" />
        </div>
        <button type="submit" className="button">
          {t("surveyTexts.xliff.submit")}
        </button>
      </Form>
    </section>
  );
}
