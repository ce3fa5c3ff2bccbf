import { useTranslation } from "react-i18next";
import { SurveyErrorSummary } from "./survey-error-summary";
import { SurveyProgress } from "./survey-progress";

/**
 * The top of a section page, above its form: progress, the section's title and introduction, the note that
 * answers revealed more questions, and the error summary. Members' section pages and the staff preview (and review
 * links) draw it alike.
 */
export function SectionHeading({
  section,
  more,
  errors,
  questions,
}: {
  section: { number: number; total: number; title: string; intro?: string | null };
  more: boolean;
  errors: Parameters<typeof SurveyErrorSummary>[0]["errors"];
  questions: Parameters<typeof SurveyErrorSummary>[0]["questions"];
}) {
  const { t } = useTranslation("respondent");
  return (
    <>
      <SurveyProgress current={section.number} total={section.total} />
      <h1 id="section-title">{section.title}</h1>
      {section.intro ? <p className="section-intro">{section.intro}</p> : null}
      {more ? (
        <p className="notice" role="status">
          {t("section.moreQuestions")}
        </p>
      ) : null}
      <SurveyErrorSummary errors={errors} questions={questions} />
    </>
  );
}
