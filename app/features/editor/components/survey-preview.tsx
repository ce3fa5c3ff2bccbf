import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { PreviewPage } from "~/features/editor/preview.server";
import { QuestionField, SectionHeading, SurveyLanguageButtons } from "~/features/respondent/index";
import type { LanguageInfo } from "~/platform/i18n";

export type PreviewView = Extract<PreviewPage, { ok: true }>;

/**
 * One step of a survey preview (features/editor/preview.server.ts) drawn with
 * the member pages' own components: the staff Preview tab and a reviewer's
 * link (/review/<token>) show the same thing. The answers given so far travel
 * in the hidden "carried" field; nothing is stored.
 */
export function SurveyPreviewFrame({
  page,
  address,
  phone = false,
  languageButtons = false,
}: {
  page: PreviewView;
  /** The page's own address (its query: the language, and the version where it is not fixed) in a language. */
  address: (language: string) => string;
  phone?: boolean;
  /** The version's languages as buttons of the step form: switching keeps what was typed. */
  languageButtons?: boolean;
}) {
  const { t } = useTranslation("respondent");
  const languages: LanguageInfo[] = page.languages;
  return (
    <div className={`preview-frame${phone ? " phone" : ""}`}>
      <article className="panel survey" aria-labelledby="section-title">
        <p className="survey-name">
          <bdi>{page.surveyTitle}</bdi>
        </p>
        {page.section ? (
          <>
            <SectionHeading section={page.section} more={page.more} errors={page.errors} questions={page.questions} />
            <Form method="post" action={address(page.locale)} className="survey-form" noValidate>
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
                  {page.section.number === page.section.total ? t("nav.review") : t("nav.next")}
                </button>
                {page.section.number > 1 ? (
                  <button type="submit" name="intent" value="back" className="button secondary" formNoValidate>
                    {t("nav.back")}
                  </button>
                ) : null}
              </div>
              {languageButtons ? <SurveyLanguageButtons languages={languages} current={page.locale} formAction={address} /> : null}
            </Form>
          </>
        ) : (
          <>
            <h1 id="section-title">{t("preview.endTitle")}</h1>
            <p>{t("preview.endBody", { count: page.answeredCount })}</p>
            <p>
              <Link to={address(page.locale)}>{t("preview.again")}</Link>
            </p>
          </>
        )}
      </article>
    </div>
  );
}
