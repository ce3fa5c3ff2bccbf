import type { QuestionResultView } from "~/features/results/components/question-result";
import type { QuestionView } from "~/domain/answers";
import {
  filterableChoices,
  parseResultsFilter,
  SEGMENT_DIMENSIONS,
  type IgnoredParameter,
  type ResultsFilter,
  type SegmentDimension,
} from "~/domain/results-filter";
import { LIKERT_SCALE } from "~/domain/survey-definition";
import { loadSurveyStructure, type SurveyStructure } from "~/models/survey-structure.server";
import { getFixedT, languageInfo } from "~/platform/i18n.server";
import { resultLabels } from "~/features/results/labels.server";
import { surveyResults, type ResultsSurvey } from "~/features/results/counts.server";
import { chartLayout, chartSvg } from "~/features/results/chart";
import { chartWords, numberFormats, questionChart } from "~/features/results/question-chart";
import { chartContent } from "~/features/results/withheld";
import type { ResultsSectionView } from "~/features/results/components/results-sections";
import { resultsSectionsHtml } from "~/features/results/sections-html.server";

/** A survey's questions in order, for parsing filters. */
export function allQuestions(structure: SurveyStructure): QuestionView[] {
  return structure.sections.flatMap((section) => section.questions);
}

/** The filter in a results or comments URL, and what of it was ignored. */
export async function filterFromUrl(
  survey: ResultsSurvey,
  url: URL,
): Promise<{ structure: SurveyStructure; filter: ResultsFilter; ignored: IgnoredParameter[] }> {
  const structure = await loadSurveyStructure(survey.id, survey.definitionHash);
  return { structure, ...parseResultsFilter(url.searchParams, allQuestions(structure)) };
}

export interface MenuEntry {
  value: string;
  label: string;
}

type PageSurvey = ResultsSurvey & { slug: string; publishedVersion: number };

/** The view's counts and what the page needs around them, in the staff member's language. */
async function resultsView(survey: PageSurvey, url: URL, locale: string) {
  const { structure, filter, ignored } = await filterFromUrl(survey, url);
  const results = await surveyResults(survey, filter);
  const labels = await resultLabels(locale, survey, structure);
  const sections = (): ResultsSectionView[] => {
    const common = getFixedT(locale, "common");
    const scale = Object.fromEntries(LIKERT_SCALE.map((point) => [point.key, common(`likert.${point.key}`)]));
    return structure.sections.map((section) => ({
      key: section.key,
      title: labels[section.questions[0]?.key ?? ""]?.section ?? section.key,
      questions: results.questions
        .filter((question) => question.section === section.key)
        .map((question): QuestionResultView => ({
          ...question,
          label: labels[question.key]!.label,
          options: question.options.map((option) => ({ ...option, label: labels[question.key]!.options[option.key] ?? option.key })),
          rows: question.rows.map((row) => ({ ...row, label: labels[question.key]!.rows[row.key] ?? row.key })),
          scale,
        })),
    }));
  };
  return { structure, filter, ignored, results, labels, sections };
}

/** Everything the results page shows, in the staff member's language; the questions as HTML (sections-html.server). */
export async function resultsPage(survey: PageSurvey, url: URL, locale: string) {
  const { structure, filter, ignored, results, labels, sections } = await resultsView(survey, url, locale);

  const menus = {} as Record<SegmentDimension, MenuEntry[]>;
  for (const dimension of SEGMENT_DIMENSIONS) {
    menus[dimension] = results.segments[dimension].map(({ value }) => ({
      value,
      label: dimension === "language" ? `${languageInfo(value).endonym} (${value})` : value,
    }));
  }
  const answerQuestions = allQuestions(structure)
    .filter((question) => filterableChoices(question))
    .map((question) => ({
      key: question.key,
      label: labels[question.key]!.label,
      options: filterableChoices(question)!.map((key) => ({ key, label: labels[question.key]!.options[key] ?? key })),
    }));

  const sectionsHtml =
    results.disclosure === "shown"
      ? resultsSectionsHtml(
          results.questions,
          {
            locale,
            textsVersion: String(survey.publishedVersion),
            slug: survey.slug,
            query: url.searchParams.toString(),
            size: results.size,
            threshold: survey.anonymityThreshold,
          },
          sections,
        )
      : "";

  return {
    view: { size: results.size, disclosure: results.disclosure, computedAt: results.computedAt, stale: results.stale },
    filter,
    ignored,
    menus,
    answerQuestions,
    sectionsHtml,
  };
}

/**
 * One question's chart as an SVG file, for the view in `url` (its filters),
 * in the staff member's language: the chart the results page draws, from the
 * same suppressed counts. Null when the question has no chart in that view.
 */
export async function resultsChartSvg(survey: PageSurvey, url: URL, locale: string, questionKey: string): Promise<string | null> {
  const { results, sections } = await resultsView(survey, url, locale);
  if (results.disclosure !== "shown") return null;
  const question = sections()
    .flatMap((section) => section.questions)
    .find((candidate) => candidate.key === questionKey);
  if (!question) return null;
  const t = getFixedT(locale, "staff");
  const { percent } = numberFormats(locale);
  const charted = questionChart(question, chartWords(locale, t));
  if (!charted || chartContent(charted.values) !== "bars") return null;
  return chartSvg(chartLayout(charted.input, results.size), {
    title: question.label,
    direction: languageInfo(locale).dir,
    language: locale,
    percent: (value) => percent.format(value / 100),
    apartTitle: t("results.chartApart"),
    withheld: (kind) => (kind === "few" ? t("results.below", { threshold: survey.anonymityThreshold }) : t("results.hidden")),
  });
}
