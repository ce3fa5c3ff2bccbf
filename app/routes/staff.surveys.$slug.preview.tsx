import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { previewPage, previewStep, type PreviewRequest } from "~/features/editor/index.server";
import { QuestionField } from "~/features/respondent/components/question-field";
import { SurveyErrorSummary } from "~/features/respondent/components/survey-error-summary";
import { SurveyProgress } from "~/features/respondent/components/survey-progress";
import { requireStaffSurvey } from "~/features/staff/survey-access.server";
import { detectLanguage, routeI18nBundle } from "~/platform/i18n.server";

/**
 * A version of the survey (the newest unless ?version=N) as members would
 * answer it, in any of its languages (?lang=), at phone width on request
 * (?width=phone), stepping through its conditions. Nothing is stored. The
 * page takes the preview's language, so the member's texts and the page's
 * own (buttons, hints, errors) are those members would read.
 */
export const meta: MetaFunction = () => [{ title: "Parley" }];

/** Without ?lang=, the staff member's own language when the version has it (else the survey's default). */
function previewRequest(request: Request, user: { language: string | null }): PreviewRequest & { phone: boolean } {
  const url = new URL(request.url);
  const version = Number(url.searchParams.get("version"));
  return {
    version: Number.isInteger(version) && version > 0 ? version : null,
    language: url.searchParams.get("lang") ?? detectLanguage(request, user.language),
    section: url.searchParams.get("section"),
    phone: url.searchParams.get("width") === "phone",
  };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, survey } = await requireStaffSurvey(request, params, "surveys.view");
  const query = previewRequest(request, user);
  const preview = await previewPage(survey, query);
  if (!preview.ok) throw data({ reason: "notFound" as const }, { status: 404 });
  return { ...preview, slug: survey.slug, phone: query.phone, i18n: routeI18nBundle(request, preview.locale, ["staff", "respondent"]) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, survey } = await requireStaffSurvey(request, params, "surveys.view");
  const query = previewRequest(request, user);
  const preview = await previewStep(survey, request, query);
  if (!preview.ok) throw data({ reason: preview.status === 404 ? ("notFound" as const) : ("badRequest" as const) }, { status: preview.status });
  const status = Object.keys(preview.errors).length ? 400 : 200;
  return data({ ...preview, slug: survey.slug, phone: query.phone, i18n: routeI18nBundle(request, preview.locale, ["staff", "respondent"]) }, { status });
}

export default function SurveyPreview() {
  const loaded = useLoaderData<typeof loader>();
  const stepped = useActionData<typeof action>();
  const page = stepped ?? loaded;
  const { t } = useTranslation("staff");
  const { t: member } = useTranslation("respondent");
  const query = (changes: Record<string, string>) =>
    `?${new URLSearchParams({ version: String(page.version.number), lang: page.locale, ...(page.phone ? { width: "phone" } : {}), ...changes }).toString()}`;

  return (
    <section aria-labelledby="preview-title" className="survey-preview">
      <h2 id="preview-title">{t("editor.preview.title")}</h2>
      <p className="notice" role="note">
        {t(page.version.draft ? "editor.preview.noteDraft" : "editor.preview.notePublished", { version: page.version.number })}
      </p>
      <Form method="get" className="filters" aria-label={t("editor.preview.options")}>
        <input type="hidden" name="version" value={page.version.number} />
        <div className="field">
          <label htmlFor="preview-lang">{t("editor.preview.language")}</label>
          <select id="preview-lang" name="lang" defaultValue={page.locale}>
            {page.languages.map((language) => (
              <option key={language.code} value={language.code} lang={language.code}>
                {language.endonym}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="choice">
            <input type="checkbox" name="width" value="phone" defaultChecked={page.phone} /> {t("editor.preview.phone")}
          </label>
        </div>
        <div className="filter-actions">
          <button type="submit" className="button secondary">
            {t("editor.preview.show")}
          </button>
        </div>
      </Form>

      <div className={`preview-frame${page.phone ? " phone" : ""}`}>
        <article className="panel survey" aria-labelledby="section-title">
          <p className="survey-name">
            <bdi>{page.surveyTitle}</bdi>
          </p>
          {page.section ? (
            <>
              <SurveyProgress current={page.section.number} total={page.section.total} />
              <h1 id="section-title">{page.section.title}</h1>
              {page.section.intro ? <p className="section-intro">{page.section.intro}</p> : null}
              {page.more ? (
                <p className="notice" role="status">
                  {member("section.moreQuestions")}
                </p>
              ) : null}
              <SurveyErrorSummary errors={page.errors} questions={page.questions} />
              <Form method="post" action={query({})} className="survey-form" noValidate>
                <input type="hidden" name="section" value={page.section.key} />
                <input type="hidden" name="carried" value={page.carried} />
                <input
                  type="hidden"
                  name="shown"
                  value={page.questions
                    .filter((question) => question.visible)
                    .map((question) => question.key)
                    .join(",")}
                />
                {page.questions.map((question) => (
                  <QuestionField key={`${page.locale}-${page.section!.key}-${question.key}`} question={question} values={page.values} errors={page.errors} />
                ))}
                <div className="survey-nav">
                  <button type="submit" name="intent" value="next" className="button">
                    {page.section.number === page.section.total ? member("nav.review") : member("nav.next")}
                  </button>
                  {page.section.number > 1 ? (
                    <button type="submit" name="intent" value="back" className="button secondary" formNoValidate>
                      {member("nav.back")}
                    </button>
                  ) : null}
                </div>
              </Form>
            </>
          ) : (
            <>
              <h1 id="section-title">{t("editor.preview.endTitle")}</h1>
              <p>{t("editor.preview.endBody", { count: page.answeredCount })}</p>
              <p>
                <Link to={query({})}>{t("editor.preview.again")}</Link>
              </p>
            </>
          )}
        </article>
      </div>
    </section>
  );
}
