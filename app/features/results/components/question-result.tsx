import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { ShownCount, Withheld } from "~/domain/anonymity";
import { ResultsChart } from "~/features/results/components/results-chart";
import { chartWords, numberFormats, questionChart } from "~/features/results/question-chart";
import { chartContent, countLabel, questionCounts, withheldKinds, type CountWords } from "~/features/results/withheld";
import { TableFrame } from "~/components/table-frame";

/** One question's results as the loader sends them: counts already suppressed, labels resolved. */
export interface QuestionResultView {
  key: string;
  type: "likert" | "single" | "multiple" | "matrix" | "text" | "number";
  label: string;
  answered: ShownCount;
  noAnswer: ShownCount;
  options: { key: string; label: string; count: ShownCount }[];
  rows: { key: string; label: string; options: { key: string; count: ShownCount }[]; noAnswer: ShownCount }[];
  /** Matrix scale labels, by key. */
  scale: Record<string, string>;
  number: { mean: number | null; median: number | null; buckets: { from: number | null; to: number | null; count: ShownCount }[] } | null;
  texts: number | null;
}

export function QuestionResult({
  question,
  size,
  threshold,
  commentsHref,
  download,
}: {
  question: QuestionResultView;
  size: number;
  threshold: number;
  commentsHref: string | null;
  /** Where the chart's SVG is downloaded from, and the name of its files (without extension). */
  download: { href: string; fileName: string };
}) {
  const { t, i18n } = useTranslation("staff");
  const { number, percent } = numberFormats(i18n.language);
  const words: CountWords = { number: (value) => number.format(value), few: t("results.below", { threshold }), hidden: t("results.hidden") };
  const titleId = `q-${question.key}`;
  const noteId = (kind: Withheld) => `${titleId}-${kind}`;
  // A count as text; "hidden" is a link to the sentence that explains it: its title on hover, its description on focus, the caption when followed.
  const count = (value: ShownCount): ReactNode =>
    value === "hidden" ? (
      <a href={`#${noteId("hidden")}`} className="withheld" title={t("results.hiddenExplained")} aria-describedby={noteId("hidden")}>
        {words.hidden}
      </a>
    ) : (
      countLabel(value, words)
    );
  const share = (value: ShownCount) => (typeof value !== "number" || size === 0 ? "—" : percent.format(value / size));
  const percentLabel = (value: number) => percent.format(value / 100);
  const chartText = chartWords(i18n.language, t);
  const charted = questionChart(question, chartText);
  const content = charted ? chartContent(charted.values) : "empty";
  // A chart whose every non-zero figure is withheld draws no bar at all: a sentence says so instead.
  const chart =
    charted && content === "bars" ? (
      <ResultsChart
        input={charted.input}
        total={size}
        titleId={titleId}
        download={download}
        apartTitle={t("results.chartApart")}
        percentLabel={percentLabel}
        withheldLabel={(kind) => (kind === "few" ? words.few : words.hidden)}
      />
    ) : content === "withheld" ? (
      <p className="hint chart-withheld">{t("results.chartWithheld")}</p>
    ) : null;
  const caption = t("results.chartAlternative");
  // What "< 5" and "hidden" mean, once per question: in its table's caption, or under the answered line when it has no table.
  const kinds = withheldKinds(questionCounts(question));
  const notes = kinds.map((kind) => (
    <span key={kind} id={noteId(kind)} className="withheld-note">
      {kind === "few" ? t("results.fewExplained", { threshold }) : t("results.hiddenExplained")}
    </span>
  ));
  const hasTable = question.type !== "text" && (question.type !== "number" || question.number !== null);

  const answeredLine = (
    <>
      <p className="hint">
        {typeof question.answered === "number" ? (
          t("results.answered", { count: question.answered, value: number.format(question.answered) })
        ) : (
          <>
            {t("results.answeredLabel")}: {count(question.answered)}
          </>
        )}{" "}
        · {t("results.noAnswer")}: {count(question.noAnswer)}
      </p>
      {!hasTable && notes.length > 0 ? <p className="hint">{notes}</p> : null}
    </>
  );

  let body: JSX.Element | null = null;
  if (question.type === "likert" || question.type === "single" || question.type === "multiple") {
    body = (
      <div className="chart-stacked">
        {chart}
        <TableFrame labelledBy={titleId}>
          <table aria-labelledby={titleId}>
            <caption>
              <span className="visually-hidden">{caption}</span>
              {notes}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t("results.answer")}</th>
                <th scope="col" className="numeric">
                  {t("results.count")}
                </th>
                <th scope="col" className="numeric">
                  {t("results.share")}
                </th>
              </tr>
            </thead>
            <tbody>
              {question.options.map((option) => (
                <tr key={option.key}>
                  <th scope="row">
                    <bdi>{option.label}</bdi>
                  </th>
                  <td className="numeric">{count(option.count)}</td>
                  <td className="numeric">{share(option.count)}</td>
                </tr>
              ))}
              <tr className="no-answer">
                <th scope="row">{t("results.noAnswer")}</th>
                <td className="numeric">{count(question.noAnswer)}</td>
                <td className="numeric">{share(question.noAnswer)}</td>
              </tr>
            </tbody>
          </table>
        </TableFrame>
      </div>
    );
  } else if (question.type === "matrix") {
    const scaleKeys = Object.keys(question.scale);
    body = (
      <div className="chart-stacked">
        {chart}
        <TableFrame labelledBy={titleId}>
          <table aria-labelledby={titleId}>
            <caption>
              <span className="visually-hidden">{caption}</span>
              {notes}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t("results.row")}</th>
                {scaleKeys.map((key) => (
                  <th scope="col" className="numeric" key={key}>
                    {question.scale[key]}
                  </th>
                ))}
                <th scope="col" className="numeric">
                  {t("results.noAnswer")}
                </th>
              </tr>
            </thead>
            <tbody>
              {question.rows.map((row) => (
                <tr key={row.key}>
                  <th scope="row">
                    <bdi>{row.label}</bdi>
                  </th>
                  {scaleKeys.map((key) => {
                    const value = row.options.find((option) => option.key === key)?.count ?? 0;
                    return (
                      <td className="numeric" key={key}>
                        {count(value)} <span className="hint">({share(value)})</span>
                      </td>
                    );
                  })}
                  <td className="numeric">{count(row.noAnswer)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      </div>
    );
  } else if (question.type === "number") {
    const summary = question.number;
    body = summary ? (
      <>
        <dl className="figures">
          <div>
            <dt>{t("results.mean")}</dt>
            <dd>{summary.mean === null ? "—" : number.format(summary.mean)}</dd>
          </div>
          <div>
            <dt>{t("results.median")}</dt>
            <dd>{summary.median === null ? "—" : number.format(summary.median)}</dd>
          </div>
        </dl>
        {chart}
        <TableFrame labelledBy={titleId}>
          <table aria-labelledby={titleId}>
            <caption>
              {t("results.distribution")}
              {notes}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t("results.range")}</th>
                <th scope="col" className="numeric">
                  {t("results.count")}
                </th>
                <th scope="col" className="numeric">
                  {t("results.share")}
                </th>
              </tr>
            </thead>
            <tbody>
              {summary.buckets.map((bucket, index) => (
                <tr key={index}>
                  <th scope="row">{chartText.range(bucket)}</th>
                  <td className="numeric">{count(bucket.count)}</td>
                  <td className="numeric">{share(bucket.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      </>
    ) : (
      <p>{t("results.tooFewNumbers", { threshold })}</p>
    );
  }

  return (
    <article className="question-result" aria-labelledby={titleId}>
      <h4 id={titleId}>
        <bdi>{question.label}</bdi>
      </h4>
      {answeredLine}
      {body}
      {commentsHref && question.texts !== null && question.texts > 0 ? (
        <p>
          <a href={commentsHref}>{t("results.readComments", { count: question.texts, value: number.format(question.texts) })}</a>
        </p>
      ) : null}
    </article>
  );
}
