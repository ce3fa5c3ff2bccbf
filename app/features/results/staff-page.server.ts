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

/** Everything the results page shows, in the staff member's language. */
export async function resultsPage(survey: ResultsSurvey & { slug: string; publishedVersion: number }, url: URL, locale: string) {
  const { structure, filter, ignored } = await filterFromUrl(survey, url);
  const results = await surveyResults(survey, filter);
  const labels = await resultLabels(locale, survey, structure);
  const common = getFixedT(locale, "common");
  const scale = Object.fromEntries(LIKERT_SCALE.map((point) => [point.key, common(`likert.${point.key}`)]));

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

  const sections = structure.sections.map((section) => ({
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

  return {
    view: { size: results.size, disclosure: results.disclosure, computedAt: results.computedAt, stale: results.stale },
    filter,
    ignored,
    menus,
    answerQuestions,
    sections,
  };
}
