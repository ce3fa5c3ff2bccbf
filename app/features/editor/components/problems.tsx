import { useTranslation } from "react-i18next";

/** A refused bundle or publish: each problem in the reader's language, naming the file, key or change. */
export interface ProblemView {
  code: string;
  [key: string]: unknown;
}

export function BundleProblemList({ problems }: { problems: readonly ProblemView[] }) {
  const { t } = useTranslation("staff");
  const text = (problem: ProblemView) => {
    const values: Record<string, unknown> = { definitionFile: "surveys/<slug>.json", textsFile: "locales/<lng>/survey.<slug>.json", ...problem };
    const change = problem.change as { kind: string; key?: string } | undefined;
    if (change) values.change = t(`editor.changes.${change.kind}`, { key: change.key ?? "" });
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
