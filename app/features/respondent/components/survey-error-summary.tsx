import { useTranslation } from "react-i18next";

/**
 * Problems of the page at the top, each linking to its question (WCAG
 * 3.3.1); the page's script moves focus here after a failed save so nobody
 * misses it.
 */
export function SurveyErrorSummary({
  errors,
  questions,
}: {
  errors: Record<string, { key: string; params?: Record<string, string | number> }[]>;
  questions: { key: string; label: string }[];
}) {
  const { t } = useTranslation("respondent");
  const entries = questions.filter((question) => errors[question.key]?.length);
  if (!entries.length) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{t("errors.summary", { count: entries.length })}</h2>
      <ul>
        {entries.map((question) => (
          <li key={question.key}>
            <a href={`#${question.key}`}>
              <bdi>{question.label}</bdi> — {errors[question.key]!.map((error) => t(error.key, error.params)).join(" ")}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
