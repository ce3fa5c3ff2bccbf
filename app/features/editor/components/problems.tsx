import { useTranslation } from "react-i18next";
import type { ImpactChange } from "~/domain/survey-impact";
import { impactText } from "./impact";

/** A refused bundle or publish: each problem in the reader's language, naming the file, key or change. */
export interface ProblemView {
  code: string;
  [key: string]: unknown;
}

export function BundleProblemList({ problems }: { problems: readonly ProblemView[] }) {
  const { t } = useTranslation("staff");
  const text = (problem: ProblemView) => {
    const values: Record<string, unknown> = { definitionFile: "surveys/<slug>.json", textsFile: "locales/<lng>/survey.<slug>.json", ...problem };
    if (problem.code === "impact") values.change = impactText(t, problem.change as ImpactChange);
    return t(`editor.problems.${problem.code}`, values);
  };
  return (
    <div className="error-summary" role="alert">
      <p>{t("editor.refused")}</p>
      <ul>
        {problems.map((problem, index) => (
          <li key={index}>
            <bdi>{text(problem)}</bdi>
          </li>
        ))}
      </ul>
    </div>
  );
}
