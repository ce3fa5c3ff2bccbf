import { useTranslation } from "react-i18next";

export function SurveyProgress({ current, total }: { current: number; total: number }) {
  const { t } = useTranslation("respondent");
  const percent = Math.round((Math.max(0, current - 1) / total) * 100);
  return (
    <div className="survey-progress">
      <p>{t("progress.section", { current, total })}</p>
      {/* The text above is what assistive technology reads; the bar is decoration. */}
      <div className="progress-bar" aria-hidden="true">
        <div style={{ inlineSize: `${percent}%` }} />
      </div>
    </div>
  );
}
