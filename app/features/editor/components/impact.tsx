import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { ImpactChange, ImpactLevel, ImpactReport } from "~/domain/survey-impact";

/** One change of an impact report in the reader's language, naming the question, option and answers concerned. */
export function impactText(t: TFunction<"staff">, change: ImpactChange): string {
  const values: Record<string, unknown> = { ...change };
  if ("answers" in change) values.answers = t("editor.impact.answers", { count: change.answers });
  if (change.kind === "mode") {
    values.from = t(`surveys.modes.${change.from}`);
    values.to = t(`surveys.modes.${change.to}`);
  }
  if (change.kind === "editAfterSubmit") return t(change.to ? "editor.impact.editAfterSubmitOn" : "editor.impact.editAfterSubmitOff");
  if (change.kind === "required") return t(change.to ? "editor.impact.requiredOn" : "editor.impact.requiredOff", values);
  if (change.kind === "questionAdded" && change.required) return t("editor.impact.questionAddedRequired", values);
  if (change.kind === "optionOrder") return t(change.option === "row" ? "editor.impact.rowOrder" : "editor.impact.optionOrder", values);
  return t(`editor.impact.${change.kind}`, values);
}

const LEVELS: readonly ImpactLevel[] = ["refused", "confirm", "safe"];

/** The report grouped by level, most serious first; a list per level so screen readers announce how many items each holds. */
export function ImpactReportView({ report }: { report: ImpactReport }) {
  const { t } = useTranslation("staff");
  if (report.items.length === 0) return <p>{t("editor.impact.none")}</p>;
  return (
    <div className="impact-report">
      {LEVELS.map((level) => {
        const items = report.items.filter((item) => item.level === level);
        if (items.length === 0) return null;
        return (
          <section key={level} aria-labelledby={`impact-${level}`} className={`impact-${level}`}>
            <h3 id={`impact-${level}`}>{t(`editor.impact.levels.${level}`)}</h3>
            <p>{t(`editor.impact.explain.${level}`)}</p>
            <ul>
              {items.map((item, index) => (
                <li key={index}>
                  <bdi>{impactText(t, item.change)}</bdi>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
