import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { TextPair, type EditorTextView } from "~/features/translations/components/survey-text-editor";
import { requireSurveyLanguage, requireStaffSurvey } from "~/features/staff/survey-access.server";
import { editableLanguage, problemsByKey, saveSurveyTexts, surveyEditor } from "~/features/translations/survey-editor.server";
import { detectLanguage } from "~/platform/i18n.server";
import { readForm } from "~/platform/forms.server";
import { TableFrame } from "~/components/table-frame";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · ${data.editor.endonym} · Parley` : "Parley" }];

function notFound(): never {
  throw new Response("Not found", { status: 404 });
}

async function access(request: Request, params: LoaderFunctionArgs["params"]) {
  const { user, survey } = await requireStaffSurvey(request, params, "surveys.translate");
  const language = params.lang ?? "";
  if (!editableLanguage(language)) notFound();
  await requireSurveyLanguage(request, user, survey.id, language);
  return { user, survey, language };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, survey, language } = await access(request, params);
  const url = new URL(request.url);
  const editor = await surveyEditor(survey, language, url.searchParams.get("page"), detectLanguage(request, user.language));
  if (!editor) notFound();
  const saved = url.searchParams.get("saved");
  return {
    editor,
    title: editor.groups[0]?.key === "survey" ? editor.groups[0].title : survey.slug,
    saved: saved && /^\d{1,9}$/.test(saved) ? { version: Number(saved), published: url.searchParams.get("published") === "1" } : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, survey, language } = await access(request, params);
  const form = await readForm(request);
  const outcome = await saveSurveyTexts(survey, language, form, user.id);
  if (!outcome.ok) {
    return data(
      { refusal: { reason: outcome.reason, latest: outcome.latest ?? null }, problems: problemsByKey(outcome.problems ?? []), values: outcome.values },
      { status: outcome.status },
    );
  }
  const page = String(form.get("page") ?? "");
  const query = new URLSearchParams({ saved: String(outcome.version), published: outcome.published ? "1" : "0" });
  if (page) query.set("page", page);
  return redirect(`/staff/translations/surveys/${survey.slug}/${language}?${query.toString()}`);
}

export default function SurveyTextsEditor() {
  const { editor, title, saved } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation("staff");
  const number = new Intl.NumberFormat(i18n.language);
  const percent = new Intl.NumberFormat(i18n.language, { style: "percent" });
  const base = `/staff/translations/surveys/${editor.slug}`;
  const problems = actionData?.problems ?? {};
  const problemCount = Object.values(problems).reduce((sum, list) => sum + list.length, 0);
  const typeName = (type: string) => t(`surveyTexts.types.${type}`);
  /** One text beside its English, as every group and question lists them. */
  const pair = (text: EditorTextView) => (
    <TextPair
      key={text.key}
      text={text}
      language={editor.language}
      dir={editor.dir}
      endonym={editor.endonym}
      context={t(`surveyTexts.kinds.${text.kind}`)}
      problems={problems[text.key] ?? []}
      submitted={actionData?.values[text.key]}
    />
  );
  return (
    <section aria-labelledby="editor-title" className="survey-texts">
      <p>
        <Link to="/staff/translations">{t("translations.back")}</Link>
      </p>
      <h1 id="editor-title">
        <bdi lang="en">{title}</bdi> · <span lang={editor.language}>{editor.endonym}</span>
      </h1>
      <p>
        {t(editor.published ? "surveyTexts.versionPublished" : "surveyTexts.versionDraft", { version: number.format(editor.version) })}{" "}
        {t(editor.published ? "surveyTexts.savePublishes" : "surveyTexts.saveKeepsDraft")}
      </p>

      {saved ? (
        <p className="notice success" role="status">
          {t(saved.published ? "surveyTexts.savedPublished" : "surveyTexts.savedDraft", { version: number.format(saved.version) })}
        </p>
      ) : null}
      {actionData?.refusal ? (
        <div className="notice error" role="alert" tabIndex={-1}>
          <h2>{t("surveyTexts.notSaved")}</h2>
          <p>
            {actionData.refusal.reason === "conflict"
              ? t("surveyTexts.conflict", { version: number.format(actionData.refusal.latest ?? 0) })
              : actionData.refusal.reason === "problems"
                ? t("surveyTexts.problems", { count: problemCount, formatted: number.format(problemCount) })
                : t(`surveyTexts.refused.${actionData.refusal.reason}`)}
          </p>
          {actionData.refusal.reason === "conflict" ? (
            <p>
              <Link to={`${base}/${editor.language}${editor.page ? `?page=${editor.page}` : ""}`}>{t("surveyTexts.reload")}</Link>
            </p>
          ) : null}
        </div>
      ) : null}

      <p>
        <Link to={`${base}/${editor.language}/xliff`}>{t("surveyTexts.xliff.link")}</Link>
      </p>

      <h2>{t("surveyTexts.progressTitle")}</h2>
      <ul className="plain-list language-progress">
        {editor.progress.map((language) => (
          <li key={language.code}>
            <Link to={`${base}/${language.code}`} aria-current={language.code === editor.language ? "page" : undefined}>
              <span lang={language.code}>{language.endonym}</span>
            </Link>{" "}
            {t("surveyTexts.progress", {
              percent: percent.format(language.total === 0 ? 1 : Math.floor((language.translated / language.total) * 100) / 100),
              translated: number.format(language.translated),
              total: number.format(language.total),
            })}
            {language.outdated > 0 ? <> · {t("surveyTexts.outdatedCount", { count: language.outdated, formatted: number.format(language.outdated) })}</> : null}
          </li>
        ))}
      </ul>

      {editor.page !== null ? (
        <nav aria-label={t("surveyTexts.pagesLabel")}>
          <ul className="plain-list section-pages">
            {editor.pages.map((page) => (
              <li key={page.key}>
                <Link to={`?page=${page.key}`} aria-current={page.key === editor.page ? "page" : undefined}>
                  <bdi lang="en">{page.title}</bdi>
                </Link>
                {page.missing > 0 ? <> · {t("surveyTexts.missingCount", { count: page.missing, formatted: number.format(page.missing) })}</> : null}
                {page.outdated > 0 ? <> · {t("surveyTexts.outdatedCount", { count: page.outdated, formatted: number.format(page.outdated) })}</> : null}
              </li>
            ))}
          </ul>
        </nav>
      ) : null}

      <Form method="post" className="survey-texts-form">
        <input type="hidden" name="base" value={editor.version} />
        <input type="hidden" name="page" value={editor.page ?? ""} />
        {editor.groups.map((group) => (
          <section key={group.key} aria-labelledby={`group-${group.key}`}>
            <h2 id={`group-${group.key}`}>{group.key === "survey" ? t("surveyTexts.general") : <bdi lang="en">{group.title}</bdi>}</h2>
            {group.texts.map(pair)}
            {group.questions.map((question) => (
              <fieldset key={question.key} className="question-texts">
                <legend>
                  {t("surveyTexts.question", { type: typeName(question.type) })} <code dir="ltr">{question.key}</code>
                </legend>
                {question.texts.map(pair)}
                {question.type === "likert" && editor.likert.length ? <p className="hint">{t("surveyTexts.likertShared")}</p> : null}
              </fieldset>
            ))}
          </section>
        ))}
        <p className="hint">{t("surveyTexts.emptyHint")}</p>
        <button type="submit" className="button" disabled={navigation.state === "submitting"}>
          {t("surveyTexts.save")}
        </button>
      </Form>

      {editor.likert.length ? (
        <>
          <h2 id="likert-title">{t("surveyTexts.likertTitle")}</h2>
          <p>{t("surveyTexts.likertIntro")}</p>
          <TableFrame labelledBy="likert-title">
            <table aria-labelledby="likert-title">
              <thead>
                <tr>
                  <th scope="col">English</th>
                  <th scope="col" lang={editor.language}>
                    {editor.endonym}
                  </th>
                </tr>
              </thead>
              <tbody>
                {editor.likert.map((point) => (
                  <tr key={point.key}>
                    <td lang="en" dir="ltr">
                      {point.english}
                    </td>
                    <td lang={editor.language} dir={editor.dir}>
                      {point.value}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableFrame>
        </>
      ) : null}
    </section>
  );
}
